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
import { canonicalJson, serializePackage, writePackageZip } from '../../../lib/package/zip-write.ts';
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
