import type { BulkIndex } from '../../bulk/archive.ts';
import type { UiError } from '../../protocol/common.ts';
import { PackageError } from '../../package/errors.ts';
import { PlatformError } from '../../platform/errors.ts';
import type { PlatformClient } from '../../platform/types.ts';
import { isZipOutput, writeArchiveFolder, writeArchiveZip } from '../bulk-output.ts';
import { fingerprintKeyFor } from '../fingerprint-key.ts';
import { type Command, type ParsedArgs, stringList, stringOption } from '../command.ts';
import { CliError, UsageError } from '../errors.ts';
import { readInput, decodeText } from '../files.ts';
import { clean, formatBytes, plural } from '../format.ts';
import { printJson, printer, type CliIo } from '../io.ts';
import { problemLines, writeRedactedPackage } from '../package-tools.ts';
import {
  PLATFORM_HELP,
  PLATFORM_OPTIONS,
  clientFor,
  platformSettings,
  refusedKeyStatus,
} from '../platform-args.ts';

/** `a-<uuid>` (and older `a-…` ids): taken as an ID, anything else as a name. */
const WORKFLOW_ID = /^a-[0-9a-z]+(-[0-9a-z]+){2,}$/i;

/**
 * The workflow's ID: `workflow` itself when it is one, else the one workflow of that name. When the platform
 * will not list workflows to the key (401/403 there), `keyRefused` tells a refused key (say so: it is the real
 * problem) from a platform that does not offer the list (say to pass the ID).
 */
export async function resolveWorkflowId(
  client: PlatformClient,
  workflow: string,
  keyRefused: () => Promise<number | undefined> = async () => undefined,
): Promise<string> {
  if (WORKFLOW_ID.test(workflow)) return workflow;
  let workflows;
  try {
    workflows = await client.listWorkflows();
  } catch (error) {
    const status = error instanceof PlatformError ? error.status : undefined;
    if (
      error instanceof PlatformError &&
      error.code === 'NOT_SUPPORTED' &&
      (status === 401 || status === 403)
    ) {
      const refused = await keyRefused();
      if (refused !== undefined)
        throw new PlatformError(
          'UNAUTHENTICATED',
          'The API key was refused while looking up the workflow by name.',
          {
            status: refused,
            cause: error,
          },
        );
    }
    throw error;
  }
  const exact = workflows.filter((candidate) => candidate.name === workflow);
  const matches =
    exact.length > 0
      ? exact
      : workflows.filter((candidate) => candidate.name.toLowerCase() === workflow.toLowerCase());
  if (matches.length === 1) return matches[0]!.id;
  if (matches.length === 0)
    throw new CliError(`no workflow is named "${workflow}"; pass its ID (a-…) or its exact name`);
  throw new CliError(
    `${matches.length} workflows are named "${workflow}" (${matches.map((match) => match.id).join(', ')}); pass the ID instead`,
  );
}

/** The workflows named by `--workflow` (any number) and `--workflows-file`, in order, each once. */
async function requestedWorkflows(args: ParsedArgs, io: CliIo): Promise<string[]> {
  const named = stringList(args.values, 'workflow').map((workflow) => workflow.trim());
  const file = stringOption(args.values, 'workflows-file');
  if (file !== undefined) {
    const decoded = decodeText(await readInput(io.cwd, file));
    if (!decoded.ok) throw new CliError(`cannot read "${file}": ${decoded.reason}`);
    const lines = decoded.text.split(/\r?\n/).map((line) => line.replace(/#.*/, '').trim());
    const listed = lines.filter(Boolean);
    if (listed.length === 0)
      throw new CliError(`"${file}" names no workflow (one ID or name a line; # starts a comment)`);
    named.push(...listed);
  }
  if (named.some((workflow) => !workflow)) throw new UsageError('--workflow needs an ID or a name', 'export');
  if (named.length === 0)
    throw new UsageError('missing --workflow ID|NAME (or --workflows-file FILE)', 'export');
  return [...new Set(named)];
}

/** The platform's own words for a failure (the extension's wording speaks of tabs and pages). */
function describeForCli(error: unknown, fallback: (error: unknown) => UiError): UiError {
  if (error instanceof PlatformError)
    return {
      code: error.code,
      message: clean(error.message.split('\n')[0] ?? ''),
      retryable: error.retryable,
    };
  return fallback(error);
}

async function accountName(client: PlatformClient): Promise<{ name: string; id?: string }> {
  try {
    const { account } = await client.getSession();
    return { name: account.name, id: account.id };
  } catch (error) {
    // Not every platform says through the public API whom a key acts for; the archive is still named.
    if (error instanceof PlatformError && error.code === 'NOT_SUPPORTED') return { name: 'AI for Process' };
    throw error;
  }
}

function summaryLines(index: BulkIndex, output: string, size: number): string[] {
  const { summary } = index;
  const lines = [
    clean(
      `Exported ${summary.exported} of ${plural(summary.requested, 'workflow')} to "${output}" (${formatBytes(size)}); ${plural(summary.redactions, 'item')} removed or replaced.`,
    ),
  ];
  for (const entry of index.workflows) {
    if (entry.status === 'exported')
      lines.push(
        clean(
          `  ok      ${entry.folder}/  version "${entry.version.name}", ${plural(entry.redactions.total, 'redaction')}${entry.variablesToSet.length ? `; set after import: ${entry.variablesToSet.join(', ')}` : ''}`,
        ),
      );
    else
      lines.push(
        clean(
          `  FAILED  ${entry.name ? `${entry.name} (${entry.workflowId})` : entry.workflowId}: ${entry.error.message}`,
        ),
      );
  }
  if (summary.failed > 0) lines.push(`${plural(summary.failed, 'workflow')} not exported (see above).`);
  return lines;
}

/** Several workflows: the bulk archive, as a zip or a folder. Exit 1 when any workflow was not exported. */
async function exportSeveral(args: ParsedArgs, io: CliIo, requested: string[]): Promise<number> {
  if (stringOption(args.values, 'version') !== undefined)
    throw new UsageError('--version takes one workflow; several export their deployed versions', 'export');
  const settings = platformSettings(args.values, io, 'export');
  const client = await clientFor(settings, io);
  const [{ bulkArchive, bulkArchiveName }, bulk, { toUiError }] = await Promise.all([
    import('../../bulk/archive.ts'),
    import('../../bulk/export-workflows.ts'),
    import('../../jobs/errors.ts'),
  ]);
  const workflowIds: string[] = [];
  for (const workflow of requested)
    workflowIds.push(await resolveWorkflowId(client, workflow, () => refusedKeyStatus(settings, io)));
  const account = await accountName(client);
  const now = new Date();
  const output = stringOption(args.values, 'output') || bulkArchiveName(account.name, now);
  const archive = bulkArchive(
    bulk.exportWorkflows({
      client,
      workflowIds: [...new Set(workflowIds)],
      build: bulk.fromNativeExports(client, await fingerprintKeyFor(io)),
      ...(io.signal && { signal: io.signal }),
      describeError: (error) => describeForCli(error, toUiError),
    }),
    { account, exportedAt: now.toISOString() },
  );
  const size = isZipOutput(output)
    ? await writeArchiveZip(io.cwd, output, archive.entries)
    : await writeArchiveFolder(io.cwd, output, archive.entries);
  const index = archive.index();
  if (args.values.json) printJson(io, { output, size, ...index });
  else for (const line of summaryLines(index, output, size)) printer(io).out(line);
  return index.summary.failed > 0 ? 1 : 0;
}

async function exportOne(args: ParsedArgs, io: CliIo, workflow: string): Promise<number> {
  const settings = platformSettings(args.values, io, 'export');
  const client = await clientFor(settings, io);
  const { redactedNativeExport } = await import('../../bulk/export-workflows.ts');
  const workflowId = await resolveWorkflowId(client, workflow, () => refusedKeyStatus(settings, io));
  const versionId = stringOption(args.values, 'version');
  let result;
  try {
    result = await redactedNativeExport(
      client,
      { workflowId, ...(versionId && { versionId }) },
      await fingerprintKeyFor(io),
    );
  } catch (error) {
    if (error instanceof PackageError && error.code !== 'LEAK_DETECTED') {
      const lines = problemLines(error);
      throw new CliError(
        `the platform's export is not a package AFP Porter understands (${plural(lines.length, 'problem')}); nothing was written`,
        1,
        lines,
      );
    }
    throw error;
  }
  const { app } = result.content;
  return writeRedactedPackage(
    io,
    { output: stringOption(args.values, 'output'), json: Boolean(args.values.json) },
    result,
    (output, size) =>
      `Exported "${app.workflow.name}" version "${app.version.name}" to "${output}" (${size}).`,
    { workflowId },
  );
}

export const exportCommand: Command = {
  name: 'export',
  summary: "export workflows through the public API and redact the platform's packages",
  help: `Usage: porter export --host URL --api-key KEY --workflow ID|NAME [--version ID] [-o FILE.zip] [--json]
       porter export --host URL --api-key KEY --workflow ID|NAME --workflow ID|NAME… [-o DIR/ | -o FILE.zip]
       porter export --host URL --api-key KEY --workflows-file FILE [-o DIR/ | -o FILE.zip]

Runs the platform's own export (public API: export job, job status, download), reads the package, redacts
it exactly like the extension does (secrets typed into ordinary fields are replaced too), and writes it.

With several workflows (--workflow more than once, or --workflows-file), each one's deployed version (else the
one in development) is exported the same way, and one failing does not stop the others. They are written as
one folder per workflow ("<Workflow Name>/" with its three JSON files, the same bytes as its own package) and
porter-index.json (each workflow, version, SHA-256 of its package, redaction counts, what failed and why).

Options:
  -w, --workflow ID|NAME  a workflow: its ID (a-…), or its name when the platform lists workflows; repeat it
                          for several
      --workflows-file FILE
                          the workflows to export, one ID or name a line (# starts a comment; the public API
                          lists no workflows, so this is how a whole account goes out)
      --version ID        the version (cf-…) of a single workflow; default: what the platform exports by
                          default (the deployed one)
  -o, --output PATH       one workflow: where to write (default: "<Workflow Name>.zip" in the current folder;
                          overwritten); an existing folder, or a path ending in "/", gets "<Workflow Name>.zip"
                          inside; missing folders are made.
                          Several: a path ending in ".zip" gets one zip; any other path is a folder that gets
                          the layout (an earlier run's files there are replaced, nothing else is touched);
                          default: "<Account name> workflows <date>.zip"
      --json              print the result and the redaction report (several: the index) as JSON (a failure
                          as {"error": …})
${PLATFORM_HELP}
  -h, --help              show this help

Exit codes: 0 everything exported, 1 something was not (with several workflows the others are still written;
the summary and porter-index.json say which failed and why), 2 wrong usage.

Examples:
  AFP_API_KEY=kg-… porter export --host https://process.kore.ai --workflow a-1234… -o banking.zip
  AFP_API_KEY=kg-… porter export --host https://process.kore.ai --workflows-file ids.txt -o exports/`,
  options: {
    ...PLATFORM_OPTIONS,
    workflow: { type: 'string', short: 'w', multiple: true },
    'workflows-file': { type: 'string' },
    version: { type: 'string' },
    output: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new UsageError(`unexpected argument "${args.positionals[0]}"`, 'export');
    const requested = await requestedWorkflows(args, io);
    const several = requested.length > 1 || stringOption(args.values, 'workflows-file') !== undefined;
    return several ? exportSeveral(args, io, requested) : exportOne(args, io, requested[0]!);
  },
};
