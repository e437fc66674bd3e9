import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ARCHIVE_CHUNK_BYTES,
  archiveBlob,
  deleteArchive,
  deleteStaleArchives,
  writeArchive,
} from '../../../lib/store/archive-chunks';
import { PorterDatabase } from '../../../lib/store/db';
import type { JobRecord } from '../../../lib/jobs/records';

let db: PorterDatabase;
beforeEach(() => {
  db = new PorterDatabase(`archive-${Math.random()}`);
});
afterEach(() => db.delete());

/** `count` bytes (a repeating pattern that starts at `seed`), streamed in parts of `part` bytes. */
function bytesOf(count: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: count }, (_, i) => (i + seed) % 251);
}
function streamOf(bytes: Uint8Array, part: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close();
      controller.enqueue(bytes.slice(at, (at += part)));
    },
  });
}
const stored = async (jobId: string) => new Uint8Array(await (await archiveBlob(db, jobId))!.arrayBuffer());
const piecesOf = (jobId: string) => db.archiveChunks.filter((piece) => piece.jobId === jobId).count();

describe('a bulk archive stored in pieces', () => {
  it('writes the stream as pieces of about the chunk size and gives back the very bytes', async () => {
    const bytes = bytesOf(10_000);
    const size = await writeArchive(db, 'job-1', streamOf(bytes, 700), { chunkBytes: 3000 });
    expect(size).toBe(bytes.byteLength);
    // 10,000 bytes in parts of 700, a piece once 3,000 are gathered: 3,500 + 3,500 + 3,000 (the rest).
    expect(await piecesOf('job-1')).toBe(3);
    expect(await stored('job-1')).toEqual(bytes);
    expect((await archiveBlob(db, 'job-1'))!.type).toBe('application/zip');
  });

  it('never reads the stream more than one piece ahead of what is stored', async () => {
    const part = 64 * 1024;
    const total = 5 * ARCHIVE_CHUNK_BYTES + part;
    let read = 0;
    let stored = 0;
    let mostHeld = 0;
    // No queue of its own (highWaterMark 0): the source is pulled only when writeArchive reads.
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (read >= total) return controller.close();
          mostHeld = Math.max(mostHeld, read - stored);
          controller.enqueue(new Uint8Array(part));
          read += part;
        },
      },
      { highWaterMark: 0 },
    );
    const put = db.archiveChunks.put.bind(db.archiveChunks);
    vi.spyOn(db.archiveChunks, 'put').mockImplementation((piece, key) =>
      put(piece, key).then((written) => {
        stored += piece.blob.size;
        return written;
      }),
    );
    expect(await writeArchive(db, 'job-1', stream)).toBe(total);
    // Whenever it asks for more, less than a whole piece is waiting to be written.
    expect(mostHeld).toBeLessThan(ARCHIVE_CHUNK_BYTES);
    expect(stored).toBe(total);
    expect(await piecesOf('job-1')).toBe(6);
  });

  it('written again (a worker stopped half-way), only the new archive stays: no piece of the first', async () => {
    await writeArchive(db, 'job-1', streamOf(bytesOf(9000, 1), 1000), { chunkBytes: 1000 });
    const again = bytesOf(2500, 7);
    await writeArchive(db, 'job-1', streamOf(again, 1000), { chunkBytes: 1000 });
    expect(await piecesOf('job-1')).toBe(3);
    expect(await stored('job-1')).toEqual(again);
  });

  it('a stream that fails half-way, or a cancel, leaves no piece; other jobs keep theirs', async () => {
    await writeArchive(db, 'other', streamOf(bytesOf(2000), 500), { chunkBytes: 500 });
    let parts = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (++parts > 4) controller.error(new Error('the package could not be read'));
        else controller.enqueue(bytesOf(600));
      },
    });
    await expect(writeArchive(db, 'job-1', failing, { chunkBytes: 1000 })).rejects.toThrow(
      'the package could not be read',
    );
    expect(await piecesOf('job-1')).toBe(0);

    const abort = new AbortController();
    abort.abort();
    await expect(
      writeArchive(db, 'job-2', streamOf(bytesOf(5000), 1000), { chunkBytes: 1000, signal: abort.signal }),
    ).rejects.toThrow();
    expect(await piecesOf('job-2')).toBe(0);
    expect(await stored('other')).toEqual(bytesOf(2000));
    await deleteArchive(db, 'other');
    expect(await archiveBlob(db, 'other')).toBeUndefined();
  });

  it('the pieces of jobs no longer running are swept; a running job keeps its own', async () => {
    const job = (id: string, status: JobRecord['status']) =>
      ({
        id,
        kind: 'bulk-export',
        status,
        key: id,
        updatedAt: '2026-12-02T08:00:00.000Z',
      }) as unknown as JobRecord;
    await db.jobs.bulkPut([job('running', 'running'), job('failed', 'failed')]);
    for (const id of ['running', 'failed', 'gone'])
      await writeArchive(db, id, streamOf(bytesOf(1500), 500), { chunkBytes: 500 });
    await deleteStaleArchives(db);
    expect(await db.archiveChunks.count()).toBe(3);
    expect(await stored('running')).toEqual(bytesOf(1500));
  });
});
