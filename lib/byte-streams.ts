/**
 * Bytes through one of the platform's own byte streams (CompressionStream, DecompressionStream), for the compact
 * cache and for the package bytes that travel from a page to the worker; and any byte stream read whole, up to a
 * limit.
 */

/**
 * `bytes` run through `stream`; null when the stream fails (data that is not what it claims) or its output passes
 * `maxBytes` (a small gzip that unpacks to gigabytes is stopped as soon as it is too large, never held whole).
 *
 * The bytes are written straight into the stream: wrapping them in a Blob first copied them into the browser's
 * blob store and read them back, a quarter to a half of the time of a 4 MB gzip in Chromium.
 */
export async function throughStream(
  bytes: Uint8Array,
  stream: TransformStream<Uint8Array, Uint8Array>,
  maxBytes = Infinity,
): Promise<Uint8Array | null> {
  const writer = stream.writable.getWriter();
  // Not awaited before reading: the stream holds a write back until its output is read. A failed write (bad
  // data, or the reader cancelled at the limit) is seen by the reader.
  writer
    .write(bytes)
    .then(() => writer.close())
    .catch(() => undefined);
  return readAtMost(stream.readable, maxBytes);
}

/** All of `readable`; null when it fails, or as soon as it passes `maxBytes` (it is then cancelled). */
export async function readAtMost(
  readable: ReadableStream<Uint8Array>,
  maxBytes = Infinity,
): Promise<Uint8Array | null> {
  const reader = readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel();
        return null;
      }
      chunks.push(value);
    }
  } catch {
    return null;
  }
  return concatBytes(chunks);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
