/**
 * File access for the CLI with errors people can read (`cannot read "x.zip": no such file`), never a stack.
 */
import { mkdir, readFile, readdir, lstat, rename, writeFile, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './errors.ts';

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
    throw new CliError(`cannot read "${path}": ${fsErrorMessage(error)}`);
  }
}

export async function readInputText(cwd: string, path: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await readInput(cwd, path));
}

/** Writes through a temporary file and a rename, so a failed write never leaves half a package. */
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
    throw new CliError(`cannot write "${path}": ${fsErrorMessage(error)}`);
  }
}

export interface FoundFile {
  /** The path as shown to the user (relative to what they named). */
  display: string;
  absolute: string;
  size: number;
}

const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** The files under `path` (or `path` itself), without following symbolic links. */
export async function walk(cwd: string, path: string): Promise<FoundFile[]> {
  const root = resolvePath(cwd, path);
  let stats;
  try {
    stats = await lstat(root);
  } catch (error) {
    throw new CliError(`cannot read "${path}": ${fsErrorMessage(error)}`);
  }
  if (stats.isFile()) return [{ display: path, absolute: root, size: stats.size }];
  if (!stats.isDirectory()) return [];
  const out: FoundFile[] = [];
  const visit = async (absolute: string, display: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(absolute, { withFileTypes: true });
    } catch (error) {
      throw new CliError(`cannot read "${display}": ${fsErrorMessage(error)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const childAbsolute = join(absolute, entry.name);
      const childDisplay = join(display, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) await visit(childAbsolute, childDisplay);
      } else if (entry.isFile()) {
        const size = (await lstat(childAbsolute)).size;
        out.push({ display: childDisplay, absolute: childAbsolute, size });
      }
    }
  };
  await visit(root, path);
  return out;
}
