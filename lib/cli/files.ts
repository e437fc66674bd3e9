/**
 * File access for the CLI with errors people can read (`cannot read "x.zip": no such file`), never a stack.
 */
import { lstat, mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './errors.ts';
import { utf16Encoding } from '../package/utf16.ts';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EEXIST: 'it already exists',
  ENOSPC: 'no space left on the disk',
  EROFS: 'the file system is read-only',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  EBUSY: 'it is busy or locked',
};

export function fsErrorMessage(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && REASONS[code]) return REASONS[code];
  if (error instanceof Error) return error.message.split('\n')[0] ?? 'unknown error';
  return 'unknown error';
}

export function isFsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    /^E[A-Z]+$/.test(code) &&
    typeof (error as { syscall?: unknown }).syscall === 'string'
  );
}

export function resolvePath(cwd: string, path: string): string {
  return resolve(cwd, path);
}

export async function readInput(cwd: string, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(resolvePath(cwd, path)));
  } catch (error) {
    throw new CliError(`cannot read "${path}": ${fsErrorMessage(error)}`, 1, [], { code: 'CANNOT_READ' });
  }
}

/** How many leading bytes decide whether a file is binary. */
export const BINARY_PROBE_BYTES = 8192;

export type DecodedText = { ok: true; text: string } | { ok: false; reason: string };

/**
 * A file's bytes as text: UTF-8 (a BOM is dropped), UTF-16 with a byte-order mark, or UTF-16 without one when
 * every other byte is zero. Anything else with a NUL byte in its first 8 KB is binary and is not decoded.
 * Invalid UTF-8 is decoded with replacement characters (a secret is ASCII, and is still found).
 */
export function decodeText(bytes: Uint8Array): DecodedText {
  const probe = bytes.subarray(0, BINARY_PROBE_BYTES);
  const utf16 = utf16Encoding(probe);
  if (utf16) return { ok: true, text: new TextDecoder(utf16).decode(bytes) };
  if (probe.includes(0))
    return { ok: false, reason: 'binary file (a NUL byte in the first 8 KB), not scanned' };
  return { ok: true, text: new TextDecoder('utf-8').decode(bytes) };
}

/**
 * Where `-o` writes. No `-o`: `defaultName` in the working folder. `-o` naming an existing folder, or ending
 * in a slash (a folder, made when missing): `defaultName` inside it. Anything else is the file itself.
 * Missing parent folders are made when writing.
 */
export async function outputPath(
  cwd: string,
  output: string | undefined,
  defaultName: string,
): Promise<string> {
  if (output === undefined || output === '') return defaultName;
  if (/[/\\]$/.test(output)) return join(output, defaultName);
  try {
    if ((await stat(resolvePath(cwd, output))).isDirectory()) return join(output, defaultName);
  } catch {
    // Not there yet: it is the file to write.
  }
  return output;
}

/** Why a write failed, for people: an ENOENT in an existing folder is a folder that refuses new files. */
async function writeFailure(error: unknown, target: string): Promise<string> {
  const code = (error as { code?: unknown } | null)?.code;
  const folder = dirname(target);
  if (code === 'ENOENT') {
    const folderStats = await stat(folder).catch(() => undefined);
    if (folderStats?.isDirectory())
      return `the folder "${folder}" does not accept new files (permission denied, or a read-only or special file system)`;
  }
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    // mkdir -p met a file where a folder should be: name it.
    for (let path = folder; path !== dirname(path); path = dirname(path)) {
      const stats = await stat(path).catch(() => undefined);
      if (stats) return stats.isDirectory() ? fsErrorMessage(error) : `"${path}" is a file, not a folder`;
    }
  }
  return fsErrorMessage(error);
}

/**
 * Writes through a temporary file and a rename, so a failed write never leaves half a package. Missing parent
 * folders are made (as `mkdir -p` would).
 */
export async function writeOutput(cwd: string, path: string, data: Uint8Array): Promise<string> {
  const target = resolvePath(cwd, path);
  const temporary = join(dirname(target), `.${process.pid}-${Date.now()}.porter-tmp`);
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(temporary, data);
    await rename(temporary, target);
    return target;
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new CliError(`cannot write "${path}": ${await writeFailure(error, target)}`, 1, [], {
      code: 'CANNOT_WRITE',
    });
  }
}

export interface FoundFile {
  /** The path as shown to the user (relative to what they named). */
  display: string;
  absolute: string;
  size: number;
}

/** Something named or found that is not read, and why. */
export interface PathNote {
  file: string;
  reason: string;
}

export interface WalkResult {
  files: FoundFile[];
  /** Left out on purpose (a symbolic link inside a folder, a socket…): said on stderr, not a failure. */
  skipped: PathNote[];
  /** Could not be read (a missing path, a folder that may not be listed): a failure. */
  failed: PathNote[];
}

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/**
 * The files under `path` (or `path` itself). A symbolic link named as `path` is followed; links found inside a
 * folder are not (they are listed in `skipped`).
 */
export async function walk(cwd: string, path: string): Promise<WalkResult> {
  const result: WalkResult = { files: [], skipped: [], failed: [] };
  const root = resolvePath(cwd, path);
  let stats;
  try {
    stats = await stat(root);
  } catch (error) {
    const dangling = await lstat(root).then(
      (link) => link.isSymbolicLink(),
      () => false,
    );
    result.failed.push({
      file: path,
      reason: dangling ? 'a symbolic link to nothing (its target is missing)' : fsErrorMessage(error),
    });
    return result;
  }
  if (stats.isFile()) {
    result.files.push({ display: path, absolute: root, size: stats.size });
    return result;
  }
  if (!stats.isDirectory()) {
    result.failed.push({ file: path, reason: 'not a regular file or folder' });
    return result;
  }
  const visit = async (absolute: string, display: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(absolute, { withFileTypes: true });
    } catch (error) {
      result.failed.push({ file: display, reason: `cannot list the folder: ${fsErrorMessage(error)}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childAbsolute = join(absolute, entry.name);
      const childDisplay = join(display, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) await visit(childAbsolute, childDisplay);
      } else if (entry.isFile()) {
        try {
          const size = (await lstat(childAbsolute)).size;
          result.files.push({ display: childDisplay, absolute: childAbsolute, size });
        } catch (error) {
          result.failed.push({ file: childDisplay, reason: fsErrorMessage(error) });
        }
      } else if (entry.isSymbolicLink()) {
        result.skipped.push({ file: childDisplay, reason: 'symbolic link, not followed' });
      } else {
        result.skipped.push({ file: childDisplay, reason: 'not a regular file' });
      }
    }
  };
  await visit(root, path);
  return result;
}
