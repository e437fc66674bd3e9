import type { EnvConflictChoice, ImportTarget, PackageFilesForImport } from '../../platform/types.ts';
import { type Command, exactPositionals, stringList, stringOption } from '../command.ts';
import { UsageError } from '../errors.ts';
import { clean, plural } from '../format.ts';
import { printJson, printer } from '../io.ts';
import { loadPackage } from '../package-tools.ts';
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

Validates the package locally first (as "porter validate" does): when anything is wrong, every problem
is listed and nothing is uploaded. Then uploads the three files, starts the import and waits for it;
prints the workflow ID and the platform's warnings (missing models, custom scripts, secure values to set…).

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
    const pkg = await loadPackage(io.cwd, path, { refuseForbidden: true });

    const [{ serializePackage }, { PACKAGE_FILES }] = await Promise.all([
      import('../../package/zip-write.ts'),
      import('../../package/schemas.ts'),
    ]);
    const serialized = new Map(serializePackage(pkg.content).map((file) => [file.name, file.data]));
    const flow = serialized.get(PACKAGE_FILES.flow);
    if (!flow) throw new Error('the package has no flow definition after serialization');
    const files: PackageFilesForImport = { flow };
    const app = serialized.get(PACKAGE_FILES.app);
    const env = serialized.get(PACKAGE_FILES.env);
    if (app) files.app = app;
    if (env) files.env = env;

    const target: ImportTarget =
      parent !== undefined
        ? {
            kind: 'version',
            workflowId: parent.trim(),
            ...(Object.keys(envConflicts).length ? { envConflicts } : {}),
          }
        : { kind: 'new', name: (name ?? pkg.content.app.workflow.name).trim() };
    const result = await client.importPackage(files, target);

    if (args.values.json) {
      printJson(io, { workflowId: result.workflowId, target: target.kind, warnings: result.warnings });
      return 0;
    }
    const print = printer(io);
    print.out(
      clean(
        target.kind === 'new'
          ? `Imported as new workflow "${target.name}": ${result.workflowId}`
          : `Imported as a new version of ${result.workflowId} (now the in-development version)`,
      ),
    );
    if (result.warnings.length > 0) {
      print.out(`${plural(result.warnings.length, 'warning')}:`);
      for (const warning of result.warnings) print.out(clean(`  ${warning.code}: ${warning.message}`));
    }
    return 0;
  },
};
