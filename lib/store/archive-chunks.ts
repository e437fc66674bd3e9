/**
 * A bulk export's archive in IndexedDB, as pieces of about 1 MB, each a Blob (which the browser keeps on disk when it
 * is large). The pieces are written as client-zip's stream comes, so the worker holds one piece at most, whatever
 * the archive's size; the download makes one Blob of the pieces' Blobs: references, no bytes read back.
 *
 * The pieces are keyed by the job's id and their place: writing again first deletes what an earlier attempt left,
 * so a worker stopped half-way leaves neither a duplicate nor a stray piece once the archive is made again.
 */
import Dexie from 'dexie';
import { isQuotaError, STORAGE_FULL_MESSAGE, type PorterDatabase } from './db';
import { JobError } from '../jobs/errors';

/**
 * About this much of the archive is gathered before it is written as one piece. Small, because the parts gathered
 * are ArrayBuffers outside V8's heap that stay until a collection: the less of them a piece holds, the less waits.
 */
export const ARCHIVE_CHUNK_BYTES = 1024 * 1024;

const piecesOf = (db: PorterDatabase, jobId: string) =>
  db.archiveChunks.where('[jobId+index]').between([jobId, Dexie.minKey], [jobId, Dexie.maxKey]);

/**
 * Writes `stream` as the job's archive, replacing whatever an earlier attempt wrote, and resolves with its size.
 * When the stream fails, the signal aborts or the storage is full, no piece stays behind.
 */
export async function writeArchive(
  db: PorterDatabase,
  jobId: string,
  stream: ReadableStream<Uint8Array>,
  options: { signal?: AbortSignal; chunkBytes?: number } = {},
): Promise<number> {
  const limit = options.chunkBytes ?? ARCHIVE_CHUNK_BYTES;
  await deleteArchive(db, jobId);
  const reader = stream.getReader();
  let parts: Uint8Array[] = [];
  let gathered = 0;
  let size = 0;
  let index = 0;
  const writePiece = async () => {
    // The Blob copies the parts, which are then garbage: at most one piece is held here.
    const blob = new Blob(parts as BlobPart[]);
    parts = [];
    gathered = 0;
    options.signal?.throwIfAborted();
    await db.archiveChunks.put({ jobId, index: index++, blob });
  };
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      parts.push(read.value);
      gathered += read.value.byteLength;
      size += read.value.byteLength;
      if (gathered >= limit) await writePiece();
    }
    if (parts.length > 0) await writePiece();
    return size;
  } catch (error) {
    await reader.cancel(error).catch(() => undefined);
    await deleteArchive(db, jobId).catch(() => undefined);
    if (isQuotaError(error)) throw new JobError('STORAGE_FULL', STORAGE_FULL_MESSAGE);
    throw error;
  }
}

/** The job's archive as one Blob made of its pieces; undefined when none is stored. */
export async function archiveBlob(db: PorterDatabase, jobId: string): Promise<Blob | undefined> {
  const pieces = await piecesOf(db, jobId).toArray();
  if (pieces.length === 0) return undefined;
  return new Blob(
    pieces.map((piece) => piece.blob),
    { type: 'application/zip' },
  );
}

export async function deleteArchive(db: PorterDatabase, jobId: string): Promise<void> {
  await piecesOf(db, jobId).delete();
}

/** Deletes the pieces of every job that is no longer running (one ended while its worker was stopped). */
export async function deleteStaleArchives(db: PorterDatabase): Promise<void> {
  const keys = await db.archiveChunks.toCollection().primaryKeys();
  const jobIds = [...new Set(keys.map(([jobId]) => jobId))];
  for (const jobId of jobIds)
    if ((await db.jobs.get(jobId))?.status !== 'running') await deleteArchive(db, jobId);
}
