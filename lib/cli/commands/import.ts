import { PlatformError } from '../../platform/errors.ts';
import type { EnvConflictChoice, ImportTarget } from '../../platform/types.ts';
import { type Command, exactPositionals, stringList, stringOption } from '../command.ts';
import { CliError, UsageError } from '../errors.ts';
import { readInput } from '../files.ts';
import { clean, plural } from '../format.ts';
import { printJson, printer } from '../io.ts';
import { PLATFORM_HELP, PLATFORM_OPTIONS, platformClient } from '../platform-args.ts';

export function parseEnvConflicts(entries: string[]): Record<string, EnvConflictChoice> {
  const out: Record<string, EnvConflictChoice> = {};
  for (const entry of entries) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(overwrite|keep)$/.exec(entry.trim());
    if (!match)
      throw new UsageError(`--env-conflict takes NAME=overwrite or NAME=keep, not "${entry}"`, 'import');
    out[match[1]!] = match[2] as EnvConflictChoice;
  }
  return out;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'validate a package, then import it through the public API',
  help: `Usage: porter import <package.zip> --host URL --api-key KEY [--name NAME | --as-version-of ID]
                    [--env-conflict NAME=overwrite|keep]... [--json]

Checks the package and plans the import first, as the extension's import dialog does: when anything is
wrong (a broken package, forbidden content, a taken name, a workflow that is not deployed), every problem
is listed and nothing is uploaded; what must exist in the target account (models, custom scripts,
guardrail scanners) is listed before uploading. Then uploads the three files, starts the import and
waits for it; prints the workflow ID and the platform's warnings, and a refusal in plain words.

Options:
      --name NAME               import as a NEW workflow with this name (default: the package's name)
      --as-version-of ID        import as a new version of the workflow ID (a-…); it must be deployed
      --env-conflict NAME=CHOICE  for --as-version-of: "overwrite" takes the package's value of NAME,
                                "keep" keeps the existing one (the default for unlisted variables);
                                repeat for several variables
      --json                    print {workflowId, warnings} as JSON (a failure as {"error": …})
${PLATFORM_HELP}
  -h, --help                    show this help

Exit status: 0 imported, 1 invalid package or the platform refused (the reason is printed), 2 wrong usage.`,
  options: {
    ...PLATFORM_OPTIONS,
    name: { type: 'string' },
    'as-version-of': { type: 'string' },
    'env-conflict': { type: 'string', multiple: true },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const [path] = exactPositionals(this, args, ['package.zip']) as [string];
    const name = stringOption(args.values, 'name');
    const parent = stringOption(args.values, 'as-version-of');
    if (name !== undefined && parent !== undefined) {
      throw new UsageError('--name and --as-version-of exclude each other', 'import');
    }
    const envConflicts = parseEnvConflicts(stringList(args.values, 'env-conflict'));
    if (Object.keys(envConflicts).length > 0 && parent === undefined) {
      throw new UsageError('--env-conflict only applies with --as-version-of', 'import');
    }
    if (name !== undefined && !name.trim()) throw new UsageError('--name must not be empty', 'import');
    // Check everything that needs no network before touching the platform.
    const client = await platformClient(args.values, io, 'import');
    const [{ checkImportSource, filesForUpload, problemLine }, { planImport }, messages] = await Promise.all([
      import('../../package/import-files.ts'),
      import('../../jobs/import-plan.ts'),
      import('../../jobs/import-messages.ts'),
    ]);
    const checked = checkImportSource({ kind: 'zip', name: path, bytes: await readInput(io.cwd, path) });
    if (!checked.ok) {
      const lines = checked.problems.map((problem) => clean(problemLine(problem)));
      throw new CliError(`"${path}" is not a valid package (${plural(lines.length, 'problem')})`, 1, lines, {
        code: 'INVALID_PACKAGE',
        problems: checked.problems.map((p) => ({ file: p.file, path: p.place, message: p.message })),
      });
    }

    // The plan, as the extension's dialog makes it, from what the public API lets us read of the account.
    const workflows = await optional(() => client.listWorkflows(), []);
    const details =
      parent === undefined ? null : await optional(() => client.getWorkflow(parent.trim()), null);
    const plan = planImport({
      content: checked.content,
      target: details
        ? { kind: 'version', workflow: details.workflow, currentVariables: [] }
        : { kind: 'new' },
      workflows,
      ...(name !== undefined && { name }),
    });
    if (plan.blocking.length > 0) {
      throw new CliError(plan.blocking[0]!, 1, plan.blocking.slice(1), { code: 'NOT_POSSIBLE' });
    }
    if (parent === undefined && plan.nameTaken) {
      throw new CliError(
        `A workflow named "${(name ?? plan.packageName).trim()}" already exists in this account; choose another with --name ("${plan.name}" is free)`,
        1,
        [],
        { code: 'NAME_EXISTS' },
      );
    }
    const print = printer(io);
    if (!args.values.json && plan.dependencies.length > 0) {
      print.out('Check in the target account:');
      for (const dependency of plan.dependencies) print.out(clean(`  ${dependency.message}`));
    }

    const target: ImportTarget =
      parent !== undefined
        ? {
            kind: 'version',
            workflowId: parent.trim(),
            ...(Object.keys(envConflicts).length ? { envConflicts } : {}),
          }
        : { kind: 'new', name: (name ?? plan.packageName).trim() };
    let result;
    try {
      result = await client.importPackage(filesForUpload(checked.content), target);
    } catch (error) {
      if (!(error instanceof PlatformError) || !error.jobCode) throw error;
      const failure = messages.describeImportFailure(error);
      throw new CliError(
        `${failure.summary.replace(/\.$/, '')}; nothing was imported`,
        1,
        failure.problems.map((problem) => clean(problemLine(problem))),
        {
          code: failure.code,
          problems: failure.problems.map((p) => ({ file: p.file, path: p.place, message: p.message })),
        },
      );
    }

    if (args.values.json) {
      printJson(io, { workflowId: result.workflowId, target: target.kind, warnings: result.warnings });
      return 0;
    }
    print.out(
      clean(
        target.kind === 'new'
          ? `Imported as new workflow "${target.name}": ${result.workflowId}`
          : `Imported as a new version of ${result.workflowId} (now the in-development version)`,
      ),
    );
    if (result.warnings.length > 0) {
      print.out(`${plural(result.warnings.length, 'warning')}:`);
      for (const warning of result.warnings)
        print.out(clean(`  ${warning.code}: ${messages.warningLine(warning)}`));
    }
    return 0;
  },
};

/** What the platform may not offer through its public API (listing workflows) is left out of the plan. */
async function optional<T>(read: () => Promise<T>, fallback: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof PlatformError && error.code === 'NOT_SUPPORTED') return fallback;
    throw error;
  }
}
