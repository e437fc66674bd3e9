/**
 * Errors the CLI raises itself. Every failure ends as one line `porter: <message>` and an exit code:
 * 0 ok, 1 problem found or operation failed, 2 wrong usage (and `diff` trouble, like diff(1)), 130 cancelled.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose `--help` to point at. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One problem in a failure's list, as `--json` prints it (the same shape as a package problem). */
export interface ProblemView {
  file?: string;
  path?: string;
  message: string;
}

export interface CliErrorOptions {
  /**
   * A stable code for scripts (`--json` prints it): a package error's code (`NOT_A_ZIP`, `INVALID_JSON`, …) or
   * the CLI's own (`CANNOT_READ`, `CANNOT_WRITE`, `NOT_A_VERSION_RECORD`, …). Default `FAILED`.
   */
  code?: string;
  /** The list behind `report`, structured, for `--json` (default: each report line as a message). */
  problems?: ProblemView[];
}

export class CliError extends Error {
  readonly code: string;
  readonly problems: ProblemView[];

  constructor(
    message: string,
    readonly exitCode = 1,
    /** Lines printed on stdout before the one-line error (e.g. every problem found). */
    readonly report: string[] = [],
    options: CliErrorOptions = {},
  ) {
    super(message);
    this.name = 'CliError';
    this.code = options.code ?? 'FAILED';
    this.problems = options.problems ?? report.map((line) => ({ message: line.trim() }));
  }
}

/** Marks a failure with the exit code it should end with (diff: 2 means "could not compare"). */
export class ExitCodeOverride extends Error {
  constructor(
    readonly inner: unknown,
    readonly exitCode: number,
  ) {
    super(inner instanceof Error ? inner.message : String(inner));
    this.name = 'ExitCodeOverride';
  }
}

/** Runs `fn`; any failure other than a usage error ends with `exitCode`. */
export async function withExitCode<T>(exitCode: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new ExitCodeOverride(error, exitCode);
  }
}
