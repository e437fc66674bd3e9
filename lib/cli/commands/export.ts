import { PackageError } from '../../package/errors.ts';
import { PlatformError } from '../../platform/errors.ts';
import type { PlatformClient } from '../../platform/types.ts';
import { fingerprintKeyFor } from '../fingerprint-key.ts';
import { type Command, stringOption } from '../command.ts';
import { CliError, UsageError } from '../errors.ts';
import { plural } from '../format.ts';
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

export const exportCommand: Command = {
  name: 'export',
  summary: "export a workflow through the public API and redact the platform's package",
  help: `Usage: porter export --host URL --api-key KEY --workflow ID|NAME [--version ID] [-o FILE.zip] [--json]

Runs the platform's own export (public API: export job, job status, download), reads the package, redacts
it exactly like the extension does (secrets typed into ordinary fields are replaced too), and writes it.

Options:
      --workflow ID|NAME  the workflow: its ID (a-…), or its name when the platform lists workflows
      --version ID        the version (cf-…); default: what the platform exports by default (the deployed one)
  -o, --output FILE.zip   where to write (default: "<Workflow Name>.zip" in the current folder; overwritten);
                          an existing folder, or a path ending in "/", gets "<Workflow Name>.zip" inside;
                          missing folders are made
      --json              print the result and the redaction report as JSON (a failure as {"error": …})
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
    const settings = platformSettings(args.values, io, 'export');
    const client = await clientFor(settings, io);
    const [{ redactPackage }, { readPackageZip }] = await Promise.all([
      import('../../redaction/redactor.ts'),
      import('../../package/zip-read.ts'),
    ]);
    const workflowId = await resolveWorkflowId(client, workflow.trim(), () => refusedKeyStatus(settings, io));
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
    const result = await redactPackage(content, { fingerprintKey: await fingerprintKeyFor(io) });
    const { app } = result.content;
    return writeRedactedPackage(
      io,
      { output: stringOption(args.values, 'output'), json: Boolean(args.values.json) },
      result,
      (output, size) =>
        `Exported "${app.workflow.name}" version "${app.version.name}" to "${output}" (${size}).`,
      { workflowId },
    );
  },
};
