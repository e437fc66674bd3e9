/**
 * The compact form of a cached package: its files, deflated with the platform's own CompressionStream, from
 * which the deterministic zip writer re-creates the very same zip (same SHA-256) when it is needed.
 *
 * A package's zip is stored (not compressed), so its JSON deflates to a fraction of it. The files are deflated
 * as one stream (the three share most of their vocabulary). A zip this build did not write byte for byte (one
 * opened from disk, made by another tool) cannot be re-created from its files: it is kept whole, deflated.
 */
import { readZipEntries } from '../package/zip-read';
import { zipFiles, type PackageFile } from '../package/zip-write';
import { concatBytes, throughStream } from '../byte-streams';

export type CompactPackage =
  | { format: 'files-deflate'; names: string[]; sizes: number[]; data: Uint8Array }
  | { format: 'zip-deflate'; data: Uint8Array };

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A stream that fails here is data this build did not write: a damaged cache entry. */
async function transform(bytes: Uint8Array, stream: TransformStream<Uint8Array, Uint8Array>) {
  const output = await throughStream(bytes, stream);
  if (!output) throw new Error('The cached package is damaged.');
  return output;
}

const deflate = (bytes: Uint8Array) =>
  transform(bytes, new CompressionStream('deflate-raw') as TransformStream<Uint8Array, Uint8Array>);
const inflate = (bytes: Uint8Array) =>
  transform(bytes, new DecompressionStream('deflate-raw') as TransformStream<Uint8Array, Uint8Array>);

/** The files of a zip, if the zip writer gives back exactly these bytes from them. */
async function filesThatRecreate(zip: Uint8Array, sha256: string): Promise<PackageFile[] | null> {
  let files: PackageFile[];
  try {
    files = readZipEntries(zip);
  } catch {
    return null;
  }
  if (files.length === 0) return null;
  return (await sha256Hex(await zipFiles(files))) === sha256 ? files : null;
}

/** The compact form of `zip`, whose SHA-256 is `sha256`; restoring it always gives these bytes back. */
export async function compactPackage(zip: Uint8Array, sha256: string): Promise<CompactPackage> {
  const files = await filesThatRecreate(zip, sha256);
  if (!files) return { format: 'zip-deflate', data: await deflate(zip) };
  return {
    format: 'files-deflate',
    names: files.map((file) => file.name),
    sizes: files.map((file) => file.data.byteLength),
    data: await deflate(concatBytes(files.map((file) => file.data))),
  };
}

/** The zip again, byte for byte. */
export async function restoreZip(compact: CompactPackage): Promise<Uint8Array> {
  const data = await inflate(compact.data);
  if (compact.format === 'zip-deflate') return data;
  let at = 0;
  const files = compact.names.map((name, i) => {
    const file = { name, data: data.subarray(at, at + compact.sizes[i]!) };
    at += compact.sizes[i]!;
    return file;
  });
  if (at !== data.byteLength) throw new Error('The cached package is damaged.');
  return zipFiles(files);
}
