import { type Command, exactPositionals, stringOption } from '../command.ts';
import { CliError } from '../errors.ts';
import { cliFingerprintKey } from '../fingerprint-key.ts';
import { readInputText } from '../files.ts';
import { writeRedactedPackage } from '../package-tools.ts';

export const packCommand: Command = {
  name: 'pack',
  summary: 'turn a raw version record (JSON) into a redacted package',
  help: `Usage: porter pack <raw-version.json> [-o FILE.zip] [--json]

Reads a raw version record (what the platform's session API returns for one version, secrets included),
removes everything a package must not hold, and writes the package zip.

Options:
  -o, --output FILE.zip  where to write (default: "<Workflow Name>.zip" in the current folder; overwritten)
      --json             print the result and the redaction report as JSON
  -h, --help             show this help

The report names each removed or replaced item by file, JSON path and rule, with a fingerprint; it never
prints a secret.`,
  options: {
    output: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const [input] = exactPositionals(this, args, ['raw-version.json']) as [string];
    const text = await readInputText(io.cwd, input);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new CliError(
        `"${input}" is not valid JSON (${error instanceof Error ? error.message : 'parse error'})`,
      );
    }
    // Loaded here, not at start-up: `porter --help` stays quick.
    const { redactVersion } = await import('../../package/redact.ts');
    const result = await redactVersion(raw, { fingerprintKey: await cliFingerprintKey(io.env) });
    const { workflow, version } = result.content.app;
    return writeRedactedPackage(
      io,
      { output: stringOption(args.values, 'output'), json: Boolean(args.values.json) },
      result,
      (output, size) =>
        `Wrote "${output}" (${size}): workflow "${workflow.name}", version "${version.name}".`,
    );
  },
};
