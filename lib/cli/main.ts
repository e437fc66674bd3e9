/**
 * `porter`: the command-line side of AFP Porter. This module only parses arguments, dispatches and maps
 * failures to one line on stderr and an exit code; the work is in lib/package and lib/platform.
 *
 * Exit codes: 0 ok · 1 a problem was found or the operation failed · 2 wrong usage (and `diff` trouble)
 * · 130 cancelled (Ctrl-C).
 */
import { readFileSync } from 'node:fs';
import { PackageError } from '../package/errors.ts';
import { PlatformError } from '../platform/errors.ts';
import { type Command, parseCommandArgs } from './command.ts';
import { diffCommand } from './commands/diff.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { inspectCommand } from './commands/inspect.ts';
import { packCommand } from './commands/pack.ts';
import { scanCommand } from './commands/scan.ts';
import { validateCommand } from './commands/validate.ts';
import { CliError, ExitCodeOverride, UsageError } from './errors.ts';
import { fsErrorMessage, isFsError } from './files.ts';
import { clean } from './format.ts';
import { type CliIo, printJson, printer } from './io.ts';
import { problemLines } from './package-tools.ts';
import { closestName } from './suggest.ts';

export type { CliIo } from './io.ts';

export const COMMANDS: readonly Command[] = [
  packCommand,
  inspectCommand,
  validateCommand,
  diffCommand,
  scanCommand,
  exportCommand,
  importCommand,
];

export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, CANCELLED: 130 } as const;

export function porterVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: unknown;
    };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return `Usage: porter <command> [options]

Export, inspect, check and re-import Kore.ai AI for Process workflows as redacted packages.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Options:
  -h, --help     show this help (or: porter <command> --help)
  -v, --version  print the version

Environment: AFP_HOST, AFP_API_KEY (for export and import; prefer AFP_API_KEY over --api-key).
Exit status: 0 ok, 1 problem found or operation failed, 2 wrong usage.
Reference: docs/cli.md`;
}

function firstLine(text: string): string {
  return clean(text.split('\n')[0]?.trim() || 'unknown error');
}

/** What `--json` prints on stdout for any failure (docs/cli.md, "--json"). */
export interface JsonFailure {
  error: {
    /** A stable code: USAGE, a package error's code, a platform error's code, or the CLI's own. */
    code: string;
    /** The same words as the `porter: …` line on stderr. */
    message: string;
    exitCode: number;
    /** Every problem behind the failure (each offending path of a package), possibly none. */
    problems: { file?: string; path?: string; message: string }[];
    /** For a platform error: the platform's own code (NAME_EXISTS, SCHEMA_MISMATCH…) and HTTP status. */
    platformCode?: string;
    status?: number;
  };
}

/** Platform codes an import refusal names (docs/cli.md, porter import). */
const IMPORT_REFUSALS = new Set([
  'NAME_EXISTS',
  'PARENT_NOT_DEPLOYED',
  'INVALID_JSON',
  'SCHEMA_MISMATCH',
  'INCOMPATIBLE_VERSION',
  'MISSING_GUARDRAILS',
  'FORBIDDEN',
]);

/**
 * A platform error in the CLI's words: a refused key says so with its HTTP status (the extension's wording
 * speaks of signing in), and an import refusal names the platform's code.
 */
export function platformMessage(error: PlatformError): string {
  const message = firstLine(error.message);
  const doing = / while ([^:.]+)/.exec(message)?.[1];
  if (error.code === 'UNAUTHENTICATED') {
    return `The platform refused the API key (HTTP ${error.status ?? 401})${doing ? ` while ${doing}` : ''}: check that it is a valid management API key (--api-key or AFP_API_KEY).`;
  }
  if (error.code === 'FORBIDDEN' && error.status === 403) {
    return `The platform refused the API key (HTTP 403): ${message.replace(/^You do not have/, 'its user does not have')}`;
  }
  const platformCode = error.jobCode;
  if (platformCode && IMPORT_REFUSALS.has(platformCode) && !message.includes(`(${platformCode})`)) {
    if (/^The platform refused the import: /.test(message))
      return message.replace(
        /^The platform refused the import: /,
        `The platform refused the import (${platformCode}): `,
      );
    if (
      error.code === 'NAME_EXISTS' ||
      error.code === 'PARENT_NOT_DEPLOYED' ||
      error.code === 'IMPORT_FAILED'
    )
      return `The platform refused the import (${platformCode}): ${message}`;
  }
  return message;
}

/** Maps any failure to lines and an exit code; never a stack trace (unless PORTER_DEBUG=1). */
function report(error: unknown, io: CliIo, json: boolean): number {
  const print = printer(io);
  let exitCode: number | undefined;
  if (error instanceof ExitCodeOverride) {
    exitCode = error.exitCode;
    error = error.inner;
  }
  if (io.env.PORTER_DEBUG === '1' && error instanceof Error && error.stack)
    io.stderr.write(`${error.stack}\n`);

  /** Ends a failure: the list (as lines, or inside the JSON), then the one line on stderr. */
  const fail = (
    code: string,
    message: string,
    status: number,
    lines: string[],
    problems: JsonFailure['error']['problems'],
    extra: Partial<JsonFailure['error']> = {},
  ): number => {
    const line = firstLine(message);
    if (json) printJson(io, { error: { code, message: line, exitCode: status, problems, ...extra } });
    else for (const item of lines) print.out(item);
    print.err(`porter: ${line}`);
    return status;
  };

  if (error instanceof UsageError) {
    if (json)
      printJson(io, {
        error: { code: 'USAGE', message: firstLine(error.message), exitCode: EXIT.USAGE, problems: [] },
      });
    print.err(`porter: ${firstLine(error.message)}`);
    print.err(
      error.command ? `Run "porter ${error.command} --help" for usage.` : 'Run "porter --help" for usage.',
    );
    return EXIT.USAGE;
  }
  if (error instanceof CliError) {
    return fail(error.code, error.message, exitCode ?? error.exitCode, error.report, error.problems);
  }
  if (error instanceof PackageError) {
    const lines = problemLines(error);
    const listed = lines.length > 1 || lines[0] !== clean(error.message) ? lines : [];
    // The fail-closed check stopped the package before it was written.
    const message = error.code === 'LEAK_DETECTED' ? `${error.message}; nothing was written` : error.message;
    return fail(error.code, message, exitCode ?? EXIT.FAILED, listed, error.problems);
  }
  if (error instanceof PlatformError) {
    if (error.code === 'CANCELLED') {
      if (json)
        printJson(io, {
          error: { code: 'CANCELLED', message: 'cancelled', exitCode: EXIT.CANCELLED, problems: [] },
        });
      print.err('porter: cancelled');
      return EXIT.CANCELLED;
    }
    const lines = platformDetailLines(error);
    return fail(
      error.code,
      platformMessage(error),
      exitCode ?? EXIT.FAILED,
      lines,
      lines.map((item) => ({ message: item.trim() })),
      {
        ...(error.jobCode ? { platformCode: error.jobCode } : {}),
        ...(error.status !== undefined ? { status: error.status } : {}),
      },
    );
  }
  if (isFsError(error)) {
    const path = (error as { path?: unknown }).path;
    return fail(
      'FILE_ERROR',
      `${typeof path === 'string' ? `"${path}": ` : ''}${fsErrorMessage(error)}`,
      exitCode ?? EXIT.FAILED,
      [],
      [],
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return fail(
    'UNEXPECTED',
    `unexpected error: ${firstLine(message)} (set PORTER_DEBUG=1 for details)`,
    exitCode ?? EXIT.FAILED,
    [],
    [],
  );
}

/** The platform's own list of problems (an import's SCHEMA_MISMATCH names each path), one per line. */
function platformDetailLines(error: PlatformError): string[] {
  const details = error.details;
  const list = Array.isArray(details)
    ? details
    : details && typeof details === 'object'
      ? ((details as Record<string, unknown>).problems ??
        (details as Record<string, unknown>).issues ??
        (details as Record<string, unknown>).errors ??
        (details as Record<string, unknown>).paths)
      : undefined;
  if (!Array.isArray(list)) return [];
  return list.slice(0, 200).map((item) => {
    if (typeof item === 'string') return clean(`  ${item}`);
    if (item && typeof item === 'object') {
      const record = item as Record<string, unknown>;
      const where = [record.file, record.path].filter((part) => typeof part === 'string' && part).join(': ');
      const message = typeof record.message === 'string' ? record.message : JSON.stringify(item);
      return clean(`  ${where ? `${where}: ` : ''}${message}`);
    }
    return clean(`  ${String(item)}`);
  });
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Before the arguments are parsed (a usage error) "--json" is taken from argv as written.
  let json = argv.slice(1, argv.includes('--') ? argv.indexOf('--') : undefined).includes('--json');
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      const command = topic ? COMMANDS.find((candidate) => candidate.name === topic) : undefined;
      if (topic && !command) throw new UsageError(`unknown command "${topic}"`);
      io.stdout.write(`${command ? command.help : mainHelp()}\n`);
      return first === undefined ? EXIT.USAGE : EXIT.OK;
    }
    if (first === '-v' || first === '--version') {
      io.stdout.write(`${porterVersion()}\n`);
      return EXIT.OK;
    }
    if (first.startsWith('-'))
      throw new UsageError(`unknown option "${first}"; options go after the command`);
    const command = COMMANDS.find((candidate) => candidate.name === first);
    if (!command) {
      const close = closestName(
        first,
        COMMANDS.map((candidate) => candidate.name),
      );
      throw new UsageError(`unknown command "${first}"${close ? ` (did you mean "${close}"?)` : ''}`);
    }
    const args = parseCommandArgs(command, rest);
    json = args.values.json === true;
    if (args.values.help) {
      io.stdout.write(`${command.help}\n`);
      return EXIT.OK;
    }
    return await command.run(args, io);
  } catch (error) {
    return report(error, io, json);
  }
}
