import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { readPackageZip } from '../../../lib/package/zip-read.ts';
import fc from 'fast-check';
import {
  canonicalJson,
  canonicalJsonLength,
  hintPackageSizes,
  serializePackage,
  utf8Length,
  writeCanonicalJson,
  writePackageZip,
  zipFiles,
} from '../../../lib/package/zip-write.ts';
import type { PackageContent } from '../../../lib/package/schemas.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const fixtureDir = join(root, 'tests/fixtures/packages/banking-assistant');

/** The fixture as raw JSON (no zod pass, so the golden hash does not depend on zod's key order). */
function fixture(): PackageContent {
  const read = (name: string) => JSON.parse(readFileSync(join(fixtureDir, name), 'utf8'));
  return {
    app: read('app_definition.json'),
    flow: read('flow_definition.json'),
    env: read('env_variables.json'),
  };
}

/**
 * Golden: the bytes of the fixture package. If this changes, every previously exported package would
 * differ from a re-export of the same content: change it only on purpose.
 */
const GOLDEN_SHA256 = 'e2dad2b34680e9e0d7c97a8407d4e3852c782e05e28ed307f6cb190854bcf753';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('serializePackage', () => {
  it('gives app, flow, env in that order as 2-space JSON with a trailing newline', () => {
    const content = fixture();
    const files = serializePackage(content);
    expect(files.map((f) => f.name)).toEqual([
      'app_definition.json',
      'flow_definition.json',
      'env_variables.json',
    ]);
    const text = new TextDecoder().decode(files[0]!.data);
    expect(text).toBe(`${JSON.stringify(content.app, null, 2)}\n`);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n')[1]).toBe('  "schemaVersion": "1.0",');
    expect(canonicalJson({ a: 'ü' })).toBe('{\n  "a": "ü"\n}\n');
  });
});

describe('writePackageZip', () => {
  it('is deterministic: the same content gives identical bytes', async () => {
    const a = await writePackageZip(fixture());
    const b = await writePackageZip(structuredClone(fixture()));
    expect(sha256(a)).toBe(sha256(b));
  });

  it('matches the committed golden SHA-256 of the fixture package', async () => {
    const bytes = await writePackageZip(fixture());
    expect(sha256(bytes)).toBe(GOLDEN_SHA256);
  });

  it('gives the same bytes in every time zone (DOS time is local time)', () => {
    const script = `
      import { readFileSync } from 'node:fs';
      import { createHash } from 'node:crypto';
      import { writePackageZip } from ${JSON.stringify(join(root, 'lib/package/zip-write.ts'))};
      const dir = ${JSON.stringify(fixtureDir)};
      const read = (n) => JSON.parse(readFileSync(dir + '/' + n, 'utf8'));
      const bytes = await writePackageZip({ app: read('app_definition.json'), flow: read('flow_definition.json'), env: read('env_variables.json') });
      process.stdout.write(createHash('sha256').update(bytes).digest('hex'));
    `;
    const hashes = [
      'UTC',
      'Asia/Kolkata',
      'America/St_Johns',
      'Pacific/Kiritimati',
      'America/Los_Angeles',
    ].map((tz) => {
      const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: root,
        env: { ...process.env, TZ: tz },
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      return child.stdout;
    });
    expect(new Set(hashes).size).toBe(1);
    expect(hashes[0]).toBe(GOLDEN_SHA256);
  });

  it('writes the three files at the root, readable by fflate, JSZip and our reader', async () => {
    const content = fixture();
    const bytes = await writePackageZip(content);
    const files = serializePackage(content);

    const viaFflate = unzipSync(bytes);
    expect(Object.keys(viaFflate)).toEqual(files.map((f) => f.name));
    for (const f of files) expect(viaFflate[f.name]).toEqual(f.data);

    const zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
    expect(Object.keys(zip.files)).toEqual(files.map((f) => f.name));
    for (const f of files) {
      const entry = zip.file(f.name)!;
      expect(await entry.async('string')).toBe(new TextDecoder().decode(f.data));
      expect(entry.date.getFullYear()).toBe(1980);
    }

    const read = readPackageZip(bytes);
    expect(read.files).toEqual(files.map((f) => f.name));
    expect(read.warnings).toEqual([]);
    expect(read.content.flow.nodes.map((n) => n.name)).toEqual(['Start', 'API0001', 'AI0001', 'End']);
    expect((read.content.app as Record<string, unknown>).futureField).toEqual({ kept: true });
  });

  const hasUnzip = spawnSync('unzip', ['-v']).status === 0;
  it.skipIf(!hasUnzip)('passes `unzip -t`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afp-zip-'));
    try {
      const path = join(dir, 'Banking Assistant.zip');
      writeFileSync(path, await writePackageZip(fixture()));
      const result = spawnSync('unzip', ['-t', path], { encoding: 'utf8' });
      expect(result.status, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('No errors detected');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('handles a ~5 MB package without trouble', async () => {
    const content = fixture();
    const big = 'x'.repeat(5 * 1024 * 1024);
    (content.flow.nodes[2]!.config as Record<string, unknown>).prompt = big;
    const bytes = await writePackageZip(content);
    expect(bytes.byteLength).toBeGreaterThan(big.length);
    expect(readPackageZip(bytes).content.flow.nodes[2]!.config.prompt).toBe(big);
  });
});

describe('serialization in pieces, written in place', () => {
  const pieces = (value: unknown) => {
    const out: string[] = [];
    writeCanonicalJson(value, (chunk) => out.push(chunk));
    return out;
  };
  const bigFlow = (nodes: number) => ({
    schemaVersion: '1.0',
    nodes: Array.from({ length: nodes }, (_, i) => ({
      id: `n-${i}`,
      name: `Node ${i} ü`,
      config: { code: `return ${i};\n`.repeat(20), list: Array.from({ length: 70 }, (_, j) => j) },
    })),
  });

  it('joined, the pieces are canonicalJson byte for byte (JSON values)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => pieces(value).join('') === canonicalJson(value)),
      { numRuns: 500 },
    );
  });

  it('joined, the pieces are canonicalJson byte for byte (what JSON.stringify treats specially)', () => {
    const holder: Record<string, unknown> = {
      date: new Date(0),
      omitted: undefined,
      fn: () => 1,
      symbol: Symbol('s'),
      numbers: [NaN, -Infinity, -0, 1e21],
      array: [undefined, () => 1, Symbol('y'), new Date(5), { toJSON: (key: string) => `key=${key}` }],
      toJsonGone: { toJSON: () => undefined },
      toJsonTwice: { toJSON: () => ({ toJSON: () => 'inner' }) },
      boxed: [new String('s'), new Number(3), new Boolean(false)],
      allOmitted: { a: undefined, b: () => 1 },
      'quote"key\n': 'line\nbreak \u2028 \ud800 lone 😀',
      10: 'integer key',
      nullProto: Object.assign(Object.create(null) as object, { a: 1, b: { c: [] } }),
      // eslint-disable-next-line no-sparse-arrays
      sparse: [1, , 3],
      deep: { deeper: { list: Array.from({ length: 100 }, (_, i) => (i % 3 ? { i } : undefined)) } },
    };
    Object.defineProperty(holder, '__proto__', { value: { own: true }, enumerable: true });
    for (const value of [holder, holder.array, [], {}, 'text', null, undefined, 5, [[[[]]]], bigFlow(300)])
      expect(pieces(value).join('')).toBe(canonicalJson(value));
    fc.assert(
      fc.property(
        fc.anything({
          maxDepth: 4,
          withBoxedValues: true,
          withNullPrototype: true,
          withSparseArray: true,
          withDate: true,
        }),
        (value) => pieces(value).join('') === canonicalJson(value),
      ),
      { numRuns: 300 },
    );
  });

  it('never holds a large file as one string: a 2 MB flow comes in small pieces', () => {
    const flow = bigFlow(2000);
    const out = pieces(flow);
    expect(out.join('').length).toBeGreaterThan(2_000_000);
    expect(out.length).toBeGreaterThan(20);
    expect(Math.max(...out.map((piece) => piece.length))).toBeLessThan(200_000);
  });

  it('canonicalJsonLength is the length of what the writer writes, counted without writing (JSON values)', () => {
    const encoder = new TextEncoder();
    const written = (value: unknown) => encoder.encode(canonicalJson(value)).length;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => canonicalJsonLength(value) === written(value)),
      { numRuns: 1000 },
    );
    // Escapes, lone surrogates, characters of every UTF-8 length, as keys and values; what JSON.stringify
    // leaves out of an object or writes as null in an array; numbers it writes in exponent form or as null.
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const value = {
          a: [text, { [text]: text }],
          b: [],
          c: {},
          d: [undefined, () => 1, Symbol('s')],
          e: undefined,
          f: [-0, Number.NaN, Infinity, 1e21, 5e-7],
          g: { only: undefined },
        };
        return canonicalJsonLength(value) === written(value);
      }),
      { numRuns: 1000 },
    );
    const special = { date: new Date(0), nested: [{ toJSON: () => 'x\u00e9' }] };
    expect(canonicalJsonLength(special)).toBe(written(special));
  });

  it('utf8Length is what TextEncoder writes', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => utf8Length(text) === encoder.encode(text).length),
      { numRuns: 500 },
    );
    for (const text of ['', 'abc', 'ü', '€', '😀', '\ud800', '\udc00x', 'a\ud83d'])
      expect(utf8Length(text)).toBe(encoder.encode(text).length);
  });

  it('serializePackage: one buffer laid out as the zip; zipFiles fills in the headers around it, copying nothing', async () => {
    const content = fixture();
    const files = serializePackage(content);
    const buffer = files[0]!.data.buffer;
    const encoder = new TextEncoder();
    files.forEach((file, i) => {
      expect(file.data.buffer).toBe(buffer);
      expect(file.data).toEqual(encoder.encode(canonicalJson([content.app, content.flow, content.env][i])));
    });
    const zip = await zipFiles(files);
    expect(zip.buffer).toBe(buffer);
    expect(zip.byteLength).toBe(buffer.byteLength);
    expect(sha256(zip)).toBe(GOLDEN_SHA256);
    // Zipped once: a second zip of the same files is a copy, with the same bytes.
    const again = await zipFiles(files);
    expect(again.buffer).not.toBe(buffer);
    expect(sha256(again)).toBe(GOLDEN_SHA256);
    // Files that are not ours (or not in place) are copied, with the same bytes.
    const copies = files.map((file) => ({ name: file.name, data: file.data.slice() }));
    expect(sha256(await zipFiles(copies))).toBe(GOLDEN_SHA256);
    const reordered = await zipFiles([files[1]!, files[0]!, files[2]!]);
    expect(unzipSync(reordered)[files[0]!.name]).toEqual(files[0]!.data);
  });

  it('a size hint is only a hint: a wrong one (content changed after the leak check) is caught', async () => {
    const sizesOf = (content: PackageContent) =>
      serializePackage(content).map((file) => file.data.byteLength);
    for (const delta of [-1, 1, 1000]) {
      const content = fixture();
      hintPackageSizes(
        content,
        sizesOf(content).map((size) => size + delta),
      );
      expect(sha256(await writePackageZip(content))).toBe(GOLDEN_SHA256);
    }
    // Right sizes, other content: the bytes are the content's, not the hint's.
    const content = fixture();
    hintPackageSizes(content, sizesOf(content));
    content.flow.nodes[0]!.name = content.flow.nodes[0]!.name.replace(/./, 'X');
    const files = serializePackage(content);
    expect(new TextDecoder().decode(files[1]!.data)).toBe(canonicalJson(content.flow));
  });

  it('a value that serializes differently each time still comes out as JSON.stringify wrote it', async () => {
    const content = fixture();
    let calls = 0;
    Object.defineProperty(content.flow, 'growing', { enumerable: true, get: () => 'x'.repeat(++calls) });
    const files = serializePackage(content);
    const text = new TextDecoder().decode(files[1]!.data);
    const parsed = JSON.parse(text) as { growing: string };
    expect(parsed.growing).toMatch(/^x+$/);
    expect(text).toBe(canonicalJson({ ...content.flow, growing: parsed.growing }));
    expect(readPackageZip(await zipFiles(files)).content.flow).toEqual(parsed);
  });
});
