import { PackageError } from '../../package/errors.ts';
import { type Command, exactPositionals } from '../command.ts';
import { readInput } from '../files.ts';
import { clean, plural } from '../format.ts';
import { printJson, printer } from '../io.ts';
import { problemLines } from '../package-tools.ts';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check that a package is complete and well-formed (lists every problem)',
  help: `Usage: porter validate <package.zip> [--json]

Checks the zip (safe entries, the three files, sizes), the JSON and the schema of each file, and lists
EVERY problem, one per line, as "<file>: <path>: <message>".

Options:
      --json  print {valid, problems, warnings} as JSON
  -h, --help  show this help

Exit status: 0 valid, 1 invalid, 2 wrong usage.`,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const [path] = exactPositionals(this, args, ['package.zip']) as [string];
    const bytes = await readInput(io.cwd, path);
    const { readPackageZip } = await import('../../package/zip-read.ts');
    const print = printer(io);
    try {
      const { warnings } = readPackageZip(bytes);
      if (args.values.json) printJson(io, { file: path, valid: true, problems: [], warnings });
      else {
        print.out(clean(`${path}: valid package`));
        for (const warning of warnings) print.out(clean(`warning: ${warning}`));
      }
      return 0;
    } catch (error) {
      if (!(error instanceof PackageError)) throw error;
      if (args.values.json) {
        printJson(io, {
          file: path,
          valid: false,
          code: error.code,
          problems: error.problems.length > 0 ? error.problems : [{ message: error.message }],
          warnings: [],
        });
      } else {
        const lines = problemLines(error);
        for (const line of lines) print.out(line);
        print.err(clean(`porter: "${path}" is not a valid package (${plural(lines.length, 'problem')})`));
      }
      return 1;
    }
  },
};
