/**
 * What a user brings to an import, read and checked with the package reader before anything reaches the platform:
 * a zip (chosen or dropped), the three JSON files the product's own dialogs take (`callflow.json` too), or a
 * package from the extension's cache (a zip). Every problem is reported at once, each with its file and place, in
 * words a person understands; content a package must never hold (API keys, a secure value, the push token) is a
 * problem too.
 *
 * And what is uploaded in the end: the package's files, with the secure values the user typed in the preview put
 * into the environment file. Those values live only in the bytes built here, on their way to the platform.
 */
import { PackageError, isPackageError } from './errors.ts';
import { forbiddenProblems } from './forbidden.ts';
import { PACKAGE_FILES, type EnvVariable, type PackageContent } from './schemas.ts';
import { readPackageFiles, readPackageZip } from './zip-read.ts';
import { canonicalJson, serializePackage } from './zip-write.ts';

export type ImportSource =
  | { kind: 'zip'; name: string; bytes: Uint8Array }
  | { kind: 'files'; files: { name: string; bytes: Uint8Array }[] };

export interface ImportProblem {
  /** The package file the problem is in (`app_definition.json`), when there is one. */
  file?: string;
  /** Where in it: a JSON path (`nodes[3].config.url`) or `line:column`. */
  place?: string;
  message: string;
}

export type CheckedSource =
  | { ok: true; content: PackageContent; notes: string[] }
  | { ok: false; summary: string; problems: ImportProblem[] };

const SUMMARIES: Partial<Record<PackageError['code'], string>> = {
  NOT_A_ZIP: 'This is not a package.',
  CORRUPT_ZIP: 'The zip file is damaged.',
  UNSAFE_ENTRY: 'The zip holds a file with an unsafe name.',
  ENCRYPTED_ENTRY: 'The zip is password-protected.',
  DUPLICATE_ENTRY: 'The package holds the same file twice.',
  TOO_LARGE: 'The package is too large to read safely.',
  MISSING_FILE: 'A package file is missing.',
  UNEXPECTED_FILE: 'The package holds files that do not belong to it.',
  INVALID_JSON: 'A package file is not valid JSON.',
  UNSUPPORTED_SCHEMA_VERSION:
    'The package was made by a newer version of the platform than AFP Porter can read.',
  SCHEMA_MISMATCH: 'The package files do not have the expected shape.',
};

function problemsOf(error: PackageError): ImportProblem[] {
  if (error.problems.length === 0) return [{ message: error.message }];
  return error.problems.map((problem) => ({
    ...(problem.file && { file: problem.file }),
    ...(problem.path && { place: problem.path }),
    message: problem.message,
  }));
}

/** Reads and checks what the user brought; never throws for anything a user could bring. */
export function checkImportSource(source: ImportSource): CheckedSource {
  let content: PackageContent;
  let notes: string[];
  try {
    const read =
      source.kind === 'zip'
        ? readPackageZip(source.bytes)
        : readPackageFiles(Object.fromEntries(source.files.map((file) => [file.name, file.bytes])));
    content = read.content;
    notes = read.warnings;
  } catch (error) {
    if (!isPackageError(error)) throw error;
    const summary = SUMMARIES[error.code] ?? error.message;
    const problems = problemsOf(error);
    // The reader's own sentence is the best single explanation when it lists no places.
    return {
      ok: false,
      summary: problems.length === 1 && !problems[0]!.file ? error.message : summary,
      problems,
    };
  }
  const forbidden = forbiddenProblems(content);
  if (forbidden.length > 0) {
    return {
      ok: false,
      summary:
        'The package holds what a package must never carry; it was not made by an export that removes it.',
      problems: forbidden.map((problem) => ({
        file: problem.file,
        place: problem.path,
        message: problem.message,
      })),
    };
  }
  return { ok: true, content, notes };
}

/** One problem as a line: `app_definition.json, guardrails.inputScanners[1]: …`. */
export function problemLine(problem: ImportProblem): string {
  const where = [problem.file, problem.place].filter(Boolean).join(', ');
  return where ? `${where}: ${problem.message}` : problem.message;
}

/** Variables the redaction made for secrets it took out of ordinary fields. */
export const REDACTION_VARIABLE_PREFIX = 'PORTER_';

export interface EmptySecureVariable {
  name: string;
  notes: string;
  /** Made by redaction for a secret typed into an ordinary field (an Authorization header, a key in code). */
  fromRedaction: boolean;
}

/** The secure variables that travelled empty, as every package's do: the user may give their values now. */
export function emptySecureVariables(content: PackageContent): EmptySecureVariable[] {
  return content.env.variables
    .filter((variable) => variable.secure && !variable.value)
    .map((variable) => ({
      name: variable.name,
      notes: variable.notes ?? '',
      fromRedaction: variable.name.startsWith(REDACTION_VARIABLE_PREFIX),
    }));
}

export interface UploadFiles {
  flow: Uint8Array;
  app: Uint8Array;
  env: Uint8Array;
}

/** The package's three files as they are uploaded, before any secure value is set (`filesForUpload`). */
export function serializeForUpload(content: PackageContent): UploadFiles {
  const files = new Map(serializePackage(content).map((file) => [file.name, file.data]));
  return {
    flow: files.get(PACKAGE_FILES.flow)!,
    app: files.get(PACKAGE_FILES.app)!,
    env: files.get(PACKAGE_FILES.env)!,
  };
}

/**
 * The package's three files as they are uploaded, with `secureValues` (name → value, typed by the user) set on the
 * secure variables that travelled empty. Nothing else is changed; a name that is not such a variable is ignored.
 * `serialized` is `serializeForUpload(content)` when it was made earlier: only the environment file is then
 * written again, and only if a value was given.
 */
export function filesForUpload(
  content: PackageContent,
  secureValues: Record<string, string> = {},
  serialized: UploadFiles = serializeForUpload(content),
): UploadFiles {
  const given = Object.entries(secureValues).filter(([, value]) => value !== '');
  if (given.length === 0) return serialized;
  const variables: EnvVariable[] = content.env.variables.map((variable) => {
    const value = secureValues[variable.name];
    return variable.secure && !variable.value && value ? { ...variable, value } : variable;
  });
  return {
    ...serialized,
    env: new TextEncoder().encode(canonicalJson({ ...content.env, variables })),
  };
}
