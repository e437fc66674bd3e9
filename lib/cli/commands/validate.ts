import { unzipSync } from 'fflate';
import { PackageError, type PackageProblem } from '../../package/errors.ts';
import { type Command, exactPositionals } from '../command.ts';
import { readInput } from '../files.ts';
import { forbiddenInApp, forbiddenInEnv, forbiddenProblems } from '../../package/forbidden.ts';
import { clean, plural } from '../format.ts';
import { printJson, printer } from '../io.ts';
import { cliPackageError, problemLine } from '../package-tools.ts';

/** Package errors after which the files themselves were readable (so what they hold can still be checked). */
const FILES_READABLE = new Set([
  'MISSING_FILE',
  'UNEXPECTED_FILE',
  'INVALID_JSON',
  'SCHEMA_MISMATCH',
  'UNSUPPORTED_SCHEMA_VERSION',
]);
const MAX_CHECKED_ENTRY = 16 * 1024 * 1024;

/**
 * What a package must never contain, read straight from the zip when the package as a whole is invalid for
 * other reasons: every problem is listed in one go.
 */
function forbiddenInInvalidPackage(bytes: Uint8Array): PackageProblem[] {
  const out: PackageProblem[] = [];
  try {
    const entries = unzipSync(bytes, {
      filter: (entry) =>
        entry.originalSize <= MAX_CHECKED_ENTRY &&
        /(^|\/)(app_definition|env_variables)\.json$/i.test(entry.name),
    });
    for (const [name, data] of Object.entries(entries)) {
      let value: unknown;
      try {
        value = JSON.parse(new TextDecoder().decode(data));
      } catch {
        continue;
      }
      const file = name.split('/').pop()!.toLowerCase();
      const items = file === 'app_definition.json' ? forbiddenInApp(value) : forbiddenInEnv(value);
      for (const item of items) out.push({ file: name, path: item.path, message: item.message });
    }
  } catch {
    // The reader already said what is wrong with the zip.
  }
  return out;
}

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check that a package is complete and well-formed (lists every problem)',
  help: `Usage: porter validate <package.zip> [--json]

Checks the zip (safe entries, the three files, sizes), the JSON and the schema of each file, and what a
package must never contain (a value in a secure variable, the async push access token, the workflow's API
keys, sharing, audit logs or endpoint), and lists EVERY problem, one per line, as "<file>: <path>: <message>".

Options:
      --json  print {file, valid, code, problems, warnings} as JSON (with "error" when invalid)
  -h, --help  show this help

Exit status: 0 valid, 1 invalid (or the file could not be read), 2 wrong usage.`,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const [path] = exactPositionals(this, args, ['package.zip']) as [string];
    const bytes = await readInput(io.cwd, path);
    const { readPackageZip } = await import('../../package/zip-read.ts');
    const print = printer(io);
    let problems: PackageProblem[];
    let code: string;
    let warnings: string[] = [];
    try {
      const read = readPackageZip(bytes);
      warnings = read.warnings;
      problems = forbiddenProblems(read.content);
      code = 'FORBIDDEN_CONTENT';
    } catch (caught) {
      if (!(caught instanceof PackageError)) throw caught;
      const error = cliPackageError(caught, bytes);
      code = error.code;
      problems = error.problems.length > 0 ? [...error.problems] : [{ message: clean(error.message) }];
      if (FILES_READABLE.has(error.code)) problems.push(...forbiddenInInvalidPackage(bytes));
    }

    if (problems.length === 0) {
      if (args.values.json) printJson(io, { file: path, valid: true, problems: [], warnings });
      else {
        print.out(clean(`${path}: valid package`));
        for (const warning of warnings) print.out(clean(`warning: ${warning}`));
      }
      return 0;
    }
    const message = `"${path}" is not a valid package (${plural(problems.length, 'problem')})`;
    if (args.values.json) {
      printJson(io, {
        file: path,
        valid: false,
        code,
        problems,
        warnings,
        error: { code, message, exitCode: 1, problems },
      });
    } else {
      for (const problem of problems) print.out(problemLine(problem));
    }
    print.err(clean(`porter: ${message}`));
    return 1;
  },
};
