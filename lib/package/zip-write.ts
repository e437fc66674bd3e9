/**
 * Writing packages: three JSON files at the root of a zip, byte-for-byte deterministic.
 *
 * - JSON is `JSON.stringify(value, null, 2)` plus a trailing newline, keys in the order the content has them
 *   (the order of the product's export; we do not sort, so a package reads like the product's own). The same
 *   content object therefore always gives the same bytes.
 * - The zip is written by client-zip (stored, no compression: faster, and JSON packages are small enough),
 *   with every entry's modification time fixed at {@link PACKAGE_TIMESTAMP}.
 *
 * About that timestamp: a zip stores DOS date/time, which has no time zone; client-zip fills it from the
 * Date's LOCAL fields (`getFullYear()`, `getHours()`…). A fixed instant (`new Date(Date.UTC(…))`) would give
 * different bytes in Kolkata and in London. So we build the Date from local fields
 * (`new Date(1980, 0, 1, 12, 0, 0)`), whose local fields read back as exactly 1980-01-01 12:00:00 in every
 * time zone. Noon, not midnight: no time zone has a daylight-saving gap at noon on 1 January 1980, so the
 * local time always exists. 1980-01-01 is the earliest DOS date (what reproducible-build tools use).
 */
import { makeZip } from 'client-zip';
import { PACKAGE_FILES, type PackageContent } from './schemas.ts';

/** The local-time fields every entry carries: 1980-01-01 12:00:00 (see the module comment). */
export const PACKAGE_TIMESTAMP_FIELDS = [1980, 0, 1, 12, 0, 0] as const;

function packageTimestamp(): Date {
  const [y, mo, d, h, mi, s] = PACKAGE_TIMESTAMP_FIELDS;
  return new Date(y, mo, d, h, mi, s);
}

export interface PackageFile {
  name: string;
  data: Uint8Array;
}

/** Canonical text of one package file: 2-space indented JSON with a trailing newline. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The three files, in the fixed order app, flow, env, as UTF-8 bytes. */
export function serializePackage(content: PackageContent): PackageFile[] {
  const encoder = new TextEncoder();
  return [
    { name: PACKAGE_FILES.app, data: encoder.encode(canonicalJson(content.app)) },
    { name: PACKAGE_FILES.flow, data: encoder.encode(canonicalJson(content.flow)) },
    { name: PACKAGE_FILES.env, data: encoder.encode(canonicalJson(content.env)) },
  ];
}

/** Zips already serialised files (root only) with the fixed timestamp. */
export async function zipFiles(files: readonly PackageFile[]): Promise<Uint8Array> {
  const lastModified = packageTimestamp();
  const entries = files.map((file) => {
    if (!file.name || /[/\\]/.test(file.name))
      throw new Error(`package files live at the root: "${file.name}"`);
    return { name: file.name, lastModified, input: file.data, mode: 0o644 };
  });
  // One exact-size buffer; chunks are copied in once (the JSON bytes are not copied again by client-zip).
  const chunks: Uint8Array[] = [];
  let length = 0;
  const reader = makeZip(entries, { buffersAreUTF8: true }).getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.byteLength;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The package as zip bytes; the same content always gives the same bytes. */
export async function writePackageZip(content: PackageContent): Promise<Uint8Array> {
  return zipFiles(serializePackage(content));
}
