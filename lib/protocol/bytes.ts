/**
 * The bytes of a file the user chose, carried from a page to the worker.
 *
 * - **Chromium: by reference.** Its extension messages are JSON, so bytes sent in them had to be read in the page,
 *   gzipped and base64-encoded there, then decoded and gunzipped in the worker (50–70 ms for the 4 MB Claims
 *   package). Instead the page gives the worker a `blob:` URL of the file, and the worker reads the file itself
 *   from the browser's blob store (25–35 ms); the page releases the URL once the worker has answered.
 * - **Firefox: packed.** Its background may not read a `blob:` URL made in a content script, so the bytes go in the
 *   message, gzipped by the browser's own zlib and then base64 (`packBytes`): a package is mostly JSON, so the
 *   message is about a tenth of it.
 *
 * Either way the worker takes only what it was told to accept: a `blob:` URL, base64 text, and never more than
 * `maxBytes` once read.
 */
import { readAtMost, throughStream } from '../byte-streams';

export const BLOB_URL_PREFIX = 'blob:';

export type CarriedBytes = { url: string } | { packed: string };

/** How the bytes of `blob` travel to the worker from this build's pages; `release` it once the worker answered. */
export async function carry(blob: Blob): Promise<CarriedBytes> {
  if (import.meta.env.FIREFOX) return { packed: await packBytes(new Uint8Array(await blob.arrayBuffer())) };
  return { url: URL.createObjectURL(blob) };
}

export function release(carried: CarriedBytes): void {
  if ('url' in carried) URL.revokeObjectURL(carried.url);
}

/** The bytes `carry` sent; null when they cannot be read, are not what `carry` makes, or pass `maxBytes`. */
export function receive(carried: CarriedBytes, maxBytes: number): Promise<Uint8Array | null> {
  return 'url' in carried ? readReference(carried.url, maxBytes) : unpackBytes(carried.packed, maxBytes);
}

async function readReference(url: string, maxBytes: number): Promise<Uint8Array | null> {
  if (!url.startsWith(BLOB_URL_PREFIX)) return null;
  let response: Response;
  try {
    response = await fetch(url);
  } catch {
    return null;
  }
  if (!response.ok || !response.body) return null;
  return readAtMost(response.body, maxBytes);
}

const CHUNK = 0x8000;
const gzip = () => new CompressionStream('gzip') as TransformStream<Uint8Array, Uint8Array>;
const gunzip = () => new DecompressionStream('gzip') as TransformStream<Uint8Array, Uint8Array>;

interface NativeBase64 {
  toBase64?: (this: Uint8Array) => string;
}
interface NativeFromBase64 {
  fromBase64?: (text: string) => Uint8Array;
}
const nativeTo = (Uint8Array.prototype as NativeBase64).toBase64;
const nativeFrom = (Uint8Array as NativeFromBase64).fromBase64;

/**
 * Base64 by the browser's own codec (`Uint8Array.toBase64`, Chrome 140, Firefox 133) when there is one: a 4 MB
 * package in milliseconds instead of hundreds; otherwise a chunked fallback, so that 20 MB does not blow the stack.
 */
export function toBase64(bytes: Uint8Array): string {
  if (nativeTo) return nativeTo.call(bytes);
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/** Null for text that is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  if (nativeFrom) {
    try {
      return nativeFrom(text);
    } catch {
      return null;
    }
  }
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Bytes gzipped (by the browser's own zlib), then as base64. */
export async function packBytes(bytes: Uint8Array): Promise<string> {
  return toBase64((await throughStream(bytes, gzip()))!);
}

/** The bytes `packBytes` packed; null for anything else, or for more than `maxBytes` once unpacked. */
export async function unpackBytes(text: string, maxBytes: number): Promise<Uint8Array | null> {
  const packed = fromBase64(text);
  return packed && throughStream(packed, gunzip(), maxBytes);
}
