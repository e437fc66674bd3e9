import { PackageError } from '../../package/errors.ts';
import { parseJson } from '../../package/json-position.ts';
import { schemaMajor, SUPPORTED_SCHEMA_MAJOR } from '../../package/schemas.ts';
import { type Command, exactPositionals, stringOption } from '../command.ts';
import { CliError } from '../errors.ts';
import { fingerprintKeyFor } from '../fingerprint-key.ts';
import { decodeText, readInput } from '../files.ts';
import { plural } from '../format.ts';
import { problemLines, writeRedactedPackage } from '../package-tools.ts';

const PARTS = [
  ['app', 'app_definition.json'],
  ['flow', 'flow_definition.json'],
  ['env', 'env_variables.json'],
] as const;

/** The record's parts whose `schemaVersion` major is newer than this build reads ("2.0", or a bare 2). */
function newerParts(raw: unknown): { file: string; path: string; version: string }[] {
  const record =
    raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return PARTS.flatMap(([part, file]) => {
    const version = (record[part] as { schemaVersion?: unknown } | null | undefined)?.schemaVersion;
    return schemaMajor(typeof version === 'number' ? String(version) : version) > SUPPORTED_SCHEMA_MAJOR
      ? [{ file, path: `${part}.schemaVersion`, version: String(version) }]
      : [];
  });
}

export const packCommand: Command = {
  name: 'pack',
  summary: 'turn a raw version record (JSON) into a redacted package',
  help: `Usage: porter pack <raw-version.json> [-o FILE.zip|FOLDER/] [--json]

Reads a raw version record (what the platform's session API returns for one version, secrets included),
removes everything a package must not hold, and writes the package zip.

Options:
  -o, --output FILE.zip  where to write (default: "<Workflow Name>.zip" in the current folder; overwritten);
                         an existing folder, or a path ending in "/", gets "<Workflow Name>.zip" inside;
                         missing folders are made
      --json             print the result and the redaction report as JSON (a failure as {"error": …})
  -h, --help             show this help

The report names each removed or replaced item by file, JSON path and rule, with a fingerprint; it never
prints a secret.`,
  options: {
    output: { type: 'string', short: 'o' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const [input] = exactPositionals(this, args, ['raw-version.json']) as [string];
    const bytes = await readInput(io.cwd, input);
    if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
      throw new CliError(
        `"${input}" is a package, not a raw version record; use "porter inspect" or "porter validate" on it`,
        1,
        [],
        { code: 'NOT_A_VERSION_RECORD' },
      );
    }
    const decoded = decodeText(bytes);
    if (!decoded.ok) {
      throw new CliError(
        `"${input}" is not a raw version record: it is a binary file, not JSON text`,
        1,
        [],
        { code: 'NOT_A_VERSION_RECORD' },
      );
    }
    const parsed = parseJson(decoded.text);
    if (!parsed.ok) {
      const { line, column, message } = parsed.error;
      throw new CliError(`"${input}" is not valid JSON: line ${line}, column ${column}: ${message}`, 1, [], {
        code: 'INVALID_JSON',
        problems: [{ path: `${line}:${column}`, message }],
      });
    }
    const raw = parsed.value;
    const newer = newerParts(raw);
    if (newer.length > 0) {
      const versions = newer.map((part) => `${part.file} schema ${part.version}`).join(', ');
      throw new CliError(
        `"${input}" was made by a newer version of the platform (${versions}); this version of AFP Porter reads schema ${SUPPORTED_SCHEMA_MAJOR}.x. Update AFP Porter to pack it.`,
        1,
        [],
        {
          code: 'UNSUPPORTED_SCHEMA_VERSION',
          problems: newer.map((part) => ({
            file: part.file,
            path: part.path,
            message: `schema ${part.version} is newer than this version of AFP Porter reads (${SUPPORTED_SCHEMA_MAJOR}.x)`,
          })),
        },
      );
    }
    // Loaded here, not at start-up: `porter --help` stays quick.
    const { redactVersion } = await import('../../redaction/redactor.ts');
    let result;
    try {
      result = await redactVersion(raw, { fingerprintKey: await fingerprintKeyFor(io), files: true });
    } catch (error) {
      if (!(error instanceof PackageError && error.code === 'SCHEMA_MISMATCH')) throw error;
      const lines = problemLines(error);
      throw new CliError(
        `"${input}" is not a valid raw version record (${plural(lines.length, 'problem')}); nothing was written`,
        1,
        lines,
        { code: 'SCHEMA_MISMATCH', problems: error.problems },
      );
    }
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
