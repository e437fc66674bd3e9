/**
 * What a command may touch: output streams, the working folder, the environment. `runCli` gets it from
 * `bin/porter.mjs` (the real process) or from a test.
 */
import type { PlatformClientOptions } from '../platform/types.ts';

export interface Writable {
  write(chunk: string): unknown;
}

export interface CliIo {
  stdout: Writable;
  stderr: Writable;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Ctrl-C in the real process; cancels platform calls. */
  signal?: AbortSignal;
  /** Overrides for the platform client (tests: fetch, poll interval). */
  platform?: Partial<Omit<PlatformClientOptions, 'baseUrl'>>;
}

export interface Printer {
  out(line?: string): void;
  err(line: string): void;
}

export function printer(io: CliIo): Printer {
  return {
    out: (line = '') => void io.stdout.write(`${line}\n`),
    err: (line) => void io.stderr.write(`${line}\n`),
  };
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
