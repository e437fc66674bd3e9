import { type Command, exactPositionals } from '../command.ts';
import { withExitCode } from '../errors.ts';
import { fingerprintKeyFor } from '../fingerprint-key.ts';
import { printJson, printer } from '../io.ts';
import { clean } from '../format.ts';
import { loadPackage } from '../package-tools.ts';

export const diffCommand: Command = {
  name: 'diff',
  summary: 'compare two packages',
  help: `Usage: porter diff <a.zip> <b.zip> [--json]

Compares two packages file by file: workflow and version details, nodes (added, removed, changed, by
name), inputs and outputs, guardrails and environment variables. Values of secure variables are never
shown, and anything that looks like a secret in other values (a package that was not redacted) is shown
as ‹secret RULE #fingerprint›.

Options:
      --json  print the difference as JSON (a failure as {"error": …})
  -h, --help  show this help

Exit status, like diff(1): 0 the packages are the same, 1 they differ, 2 trouble (a package could not be
read, or wrong usage).`,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const [pathA, pathB] = exactPositionals(this, args, ['a.zip', 'b.zip']) as [string, string];
    return withExitCode(2, async () => {
      const a = await loadPackage(io.cwd, pathA);
      const b = await loadPackage(io.cwd, pathB);
      const { diffPackages, formatDiff, isEmptyDiff } = await import('../../package/diff.ts');
      // Any secret among the values shown is hidden by the diff itself, fingerprinted with this user's key.
      const diff = diffPackages(a.content, b.content, { fingerprintKey: await fingerprintKeyFor(io) });
      const same = isEmptyDiff(diff);
      if (args.values.json) printJson(io, { same, diff });
      else if (same) printer(io).out('The packages are the same.');
      else for (const line of formatDiff(diff).split('\n')) printer(io).out(clean(line));
      return same ? 0 : 1;
    });
  },
};
