import { type Command, exactPositionals, stringOption } from '../command.ts';
import { CliError } from '../errors.ts';
import { cliFingerprintKey } from '../fingerprint-key.ts';
import { readInputText, writeOutput } from '../files.ts';
import { clean, formatBytes, plural } from '../format.ts';
import { printJson, printer } from '../io.ts';
import { reportTable, safeReportItems, safeVariables, variableLines } from '../package-tools.ts';

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
    const [{ redactVersion }, { writePackageZip }, { packageFileName }] = await Promise.all([
      import('../../package/redact.ts'),
      import('../../package/zip-write.ts'),
      import('../../package/filename.ts'),
    ]);
    const fingerprintKey = await cliFingerprintKey(io.env);
    const { content, report } = await redactVersion(raw, { fingerprintKey });
    const data = await writePackageZip(content);
    const output = stringOption(args.values, 'output') ?? packageFileName(content.app.workflow.name);
    await writeOutput(io.cwd, output, data);
    const items = safeReportItems(report.items);
    const variables = safeVariables(report.variables);

    if (args.values.json) {
      printJson(io, {
        output,
        size: data.length,
        workflow: content.app.workflow.name,
        version: content.app.version.name,
        redactions: items,
        variablesToSet: variables,
      });
      return 0;
    }
    const print = printer(io);
    print.out(
      clean(
        `Wrote "${output}" (${formatBytes(data.length)}): workflow "${content.app.workflow.name}", version "${content.app.version.name}".`,
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
