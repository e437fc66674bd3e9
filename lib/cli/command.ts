/** The shape of one `porter` command and its argument parsing (node:util parseArgs, strict). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.ts';
import { closestName } from './suggest.ts';
import type { CliIo } from './io.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface ParsedArgs {
  values: OptionValues;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line for `porter --help`. */
  summary: string;
  /** The full text of `porter <command> --help`. */
  help: string;
  options: OptionSpec;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

export const HELP_OPTION: OptionSpec = { help: { type: 'boolean', short: 'h' } };

/**
 * `--timeout -5`: parseArgs refuses a value that starts with "-" ("argument is ambiguous"). A value that is a
 * negative number is joined to its option (`--timeout=-5`), so the option's own check can explain what it takes.
 */
function joinNegativeNumbers(options: OptionSpec, argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const long = /^--([^=]+)$/.exec(arg)?.[1];
    const short = /^-([^-])$/.exec(arg)?.[1];
    const name =
      long ?? (short ? Object.keys(options).find((key) => options[key]?.short === short) : undefined);
    if (name && options[name]?.type === 'string' && next !== undefined && /^-\d|^-\.\d/.test(next)) {
      out.push(`--${name}=${next}`);
      i += 1;
      continue;
    }
    out.push(arg);
  }
  return out;
}

export function parseCommandArgs(command: Command, argv: string[]): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({
      args: joinNegativeNumbers(command.options, argv),
      options: { ...command.options, ...HELP_OPTION },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as OptionValues, positionals };
  } catch (error) {
    throw new UsageError(usageMessage(command, error), command.name);
  }
}

/** parseArgs' own words ("Option '-o, --output <value>' argument missing") said as porter says things. */
function usageMessage(command: Command, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const long = /--([\w-]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = /'([^']+)'/.exec(message)?.[1] ?? message;
    const names = Object.keys({ ...command.options, ...HELP_OPTION });
    const close = typed.startsWith('--') ? closestName(typed.slice(2), names) : undefined;
    return close
      ? `unknown option "${typed}" (did you mean "--${close}"?)`
      : `unknown option "${typed}"; porter ${command.name} takes ${names.map((name) => `--${name}`).join(', ')}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && long) {
    if (/argument missing/.test(message)) return `--${long} needs a value`;
    if (/does not take an argument/.test(message)) return `--${long} takes no value`;
  }
  // parseArgs explains at length how to pass a positional starting with "-"; the first sentence is enough.
  return message.split(/\.\s/)[0]?.replace(/\.$/, '') ?? message;
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export function stringList(values: OptionValues, name: string): string[] {
  const value = values[name];
  if (Array.isArray(value)) return value;
  return typeof value === 'string' ? [value] : [];
}

export function exactPositionals(command: Command, args: ParsedArgs, names: string[]): string[] {
  if (args.positionals.length < names.length) {
    const missing = names
      .slice(args.positionals.length)
      .map((name) => `<${name}>`)
      .join(' ');
    throw new UsageError(`missing ${missing}`, command.name);
  }
  if (args.positionals.length > names.length) {
    throw new UsageError(`unexpected argument "${args.positionals[names.length]}"`, command.name);
  }
  return args.positionals;
}
