import { PackageError } from '../../package/errors.ts';
import type { PlatformClient } from '../../platform/types.ts';
import { cliFingerprintKey } from '../fingerprint-key.ts';
import { type Command, stringOption } from '../command.ts';
import { CliError, UsageError } from '../errors.ts';
import { writeOutput } from '../files.ts';
import { clean, formatBytes, plural } from '../format.ts';
import { printJson, printer } from '../io.ts';
import {
  problemLines,
  reportTable,
  safeReportItems,
  safeVariables,
  variableLines,
} from '../package-tools.ts';
import { PLATFORM_HELP, PLATFORM_OPTIONS, platformClient } from '../platform-args.ts';

/** `a-<uuid>` (and older `a-…` ids): taken as an ID, anything else as a name. */
const WORKFLOW_ID = /^a-[0-9a-z]+(-[0-9a-z]+){2,}$/i;

export async function resolveWorkflowId(client: PlatformClient, workflow: string): Promise<string> {
  if (WORKFLOW_ID.test(workflow)) return workflow;
  const workflows = await client.listWorkflows();
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

export const exportCommand: Command = {
  name: 'export',
  summary: "export a workflow through the public API and redact the platform's package",
  help: `Usage: porter export --host URL --api-key KEY --workflow ID|NAME [--version ID] [-o FILE.zip] [--json]

Runs the platform's own export (public API: export job, job status, download), reads the package, redacts
it exactly like the extension does (secrets typed into ordinary fields are replaced too), and writes it.

Options:
      --workflow ID|NAME  the workflow: its ID (a-…), or its name when the platform lists workflows
      --version ID        the version (cf-…); default: what the platform exports by default (the deployed one)
  -o, --output FILE.zip   where to write (default: "<Workflow Name>.zip" in the current folder; overwritten)
      --json              print the result and the redaction report as JSON
${PLATFORM_HELP}
  -h, --help              show this help

Example:
  AFP_API_KEY=kg-… porter export --host https://process.kore.ai --workflow a-1234… -o banking.zip`,
  options: {
    ...PLATFORM_OPTIONS,
    workflow: { type: 'string', short: 'w' },
    version: { type: 'string' },
    output: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    if (args.positionals.length > 0)
      throw new UsageError(`unexpected argument "${args.positionals[0]}"`, 'export');
    const workflow = stringOption(args.values, 'workflow');
    if (!workflow?.trim()) throw new UsageError('missing --workflow ID|NAME', 'export');
    const client = await platformClient(args.values, io, 'export');
    const [{ packageFileName }, { redactPackage }, { writePackageZip }, { readPackageZip }] =
      await Promise.all([
        import('../../package/filename.ts'),
        import('../../package/redact.ts'),
        import('../../package/zip-write.ts'),
        import('../../package/zip-read.ts'),
      ]);
    const workflowId = await resolveWorkflowId(client, workflow.trim());
    const native = await client.exportNativePackage(workflowId, stringOption(args.values, 'version'));

    let content;
    try {
      content = readPackageZip(native).content;
    } catch (error) {
      if (error instanceof PackageError) {
        const lines = problemLines(error);
        throw new CliError(
          `the platform's export is not a package AFP Porter understands (${plural(lines.length, 'problem')}); nothing was written`,
          1,
          lines,
        );
      }
      throw error;
    }
    const fingerprintKey = await cliFingerprintKey(io.env);
    const { content: redacted, report } = await redactPackage(content, { fingerprintKey });
    const data = await writePackageZip(redacted);
    const output = stringOption(args.values, 'output') ?? packageFileName(redacted.app.workflow.name);
    await writeOutput(io.cwd, output, data);
    const items = safeReportItems(report.items);
    const variables = safeVariables(report.variables);

    if (args.values.json) {
      printJson(io, {
        output,
        size: data.length,
        workflowId,
        workflow: redacted.app.workflow.name,
        version: redacted.app.version.name,
        redactions: items,
        variablesToSet: variables,
      });
      return 0;
    }
    const print = printer(io);
    print.out(
      clean(
        `Exported "${redacted.app.workflow.name}" version "${redacted.app.version.name}" to "${output}" (${formatBytes(data.length)}).`,
      ),
    );
    print.out(
      items.length > 0 ? `${plural(items.length, 'item')} removed or replaced:` : 'Nothing needed redacting.',
    );
    if (items.length > 0) for (const line of reportTable(items)) print.out(`  ${line}`);
    for (const line of variableLines(variables)) print.out(line);
    return 0;
  },
};
