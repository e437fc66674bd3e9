/**
 * Where `porter export` puts a bulk archive: a zip streamed to disk (through a temporary file and a rename, so a
 * failed run never leaves half a zip under the real name), or the same layout as files in a folder, written as
 * the workflows come (a folder of an earlier run gets its files replaced; nothing else in it is touched).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { makeZip } from 'client-zip';
import type { ArchiveEntry } from '../bulk/archive.ts';
import { CliError } from './errors.ts';
import { fsErrorMessage, resolvePath, writeOutput } from './files.ts';

/** `-o x.zip` writes a zip; any other `-o` is a folder. */
export function isZipOutput(output: string): boolean {
  return /\.zip$/i.test(output);
}

export async function writeArchiveZip(
  cwd: string,
  output: string,
  entries: AsyncIterable<ArchiveEntry>,
): Promise<number> {
  const target = resolvePath(cwd, output);
  const temporary = join(dirname(target), `.${process.pid}-${Date.now()}.porter-tmp`);
  let size = 0;
  try {
    await mkdir(dirname(target), { recursive: true });
    const zip = Readable.fromWeb(makeZip(entries) as import('node:stream/web').ReadableStream<Uint8Array>);
    zip.on('data', (chunk: Uint8Array) => (size += chunk.byteLength));
    await pipeline(zip, createWriteStream(temporary));
    await rename(temporary, target);
    return size;
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    if (!(error as { syscall?: unknown } | null)?.syscall) throw error;
    throw new CliError(`cannot write "${output}": ${fsErrorMessage(error)}`, 1, [], { code: 'CANNOT_WRITE' });
  }
}

export async function writeArchiveFolder(
  cwd: string,
  output: string,
  entries: AsyncIterable<ArchiveEntry>,
): Promise<number> {
  let size = 0;
  for await (const entry of entries) {
    // Entry names come from lib/bulk/archive.ts (safe file stems); a path that climbs out is refused anyway.
    const parts = entry.name.split('/');
    if (parts.some((part) => part === '' || part === '.' || part === '..'))
      throw new CliError(`refusing to write "${entry.name}" outside "${output}"`);
    await writeOutput(cwd, join(output, ...parts), entry.input);
    size += entry.input.byteLength;
  }
  return size;
}
