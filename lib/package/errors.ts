/**
 * Errors about packages are values with a stable code and a message written for people.
 * The UI and the CLI map the code once; nothing shows a stack trace.
 */
export type PackageErrorCode =
  | 'NOT_A_ZIP'
  | 'CORRUPT_ZIP'
  | 'UNSAFE_ENTRY'
  | 'ENCRYPTED_ENTRY'
  | 'DUPLICATE_ENTRY'
  | 'TOO_LARGE'
  | 'MISSING_FILE'
  | 'UNEXPECTED_FILE'
  | 'INVALID_JSON'
  | 'SCHEMA_MISMATCH'
  | 'UNSUPPORTED_SCHEMA_VERSION'
  | 'LEAK_DETECTED';

export interface PackageProblem {
  /** File inside the package the problem is about, when there is one. */
  file?: string;
  /** JSON path (`nodes[3].config.url`) or `line:column` position. */
  path?: string;
  message: string;
}

export class PackageError extends Error {
  readonly code: PackageErrorCode;
  readonly problems: PackageProblem[];

  constructor(code: PackageErrorCode, message: string, problems: PackageProblem[] = []) {
    super(message);
    this.name = 'PackageError';
    this.code = code;
    this.problems = problems;
  }
}

export function isPackageError(error: unknown): error is PackageError {
  return error instanceof PackageError;
}
