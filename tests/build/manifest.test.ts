/**
 * Least privilege, checked on what is actually built: the store builds for Chrome and Firefox and the sandbox build.
 * Any permission beyond these lists fails the test; adding one is a decision to make here, in review.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPTIONAL_MATCHES, PRODUCT_MATCHES, SANDBOX_MATCHES } from '../../lib/hosts';

interface Manifest {
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  optional_permissions?: string[];
  content_scripts?: { matches: string[] }[];
  web_accessible_resources?: unknown[];
  content_security_policy?: unknown;
  externally_connectable?: unknown;
  background?: { service_worker?: string; scripts?: string[] };
}

const outDir = mkdtempSync(path.join(tmpdir(), 'porter-build-'));
const builds: Record<string, { dir: string; manifest: Manifest }> = {};

function build(name: string, args: string[], env: Record<string, string> = {}) {
  const out = path.join(outDir, name);
  execFileSync('npx', ['wxt', 'build', ...args], {
    env: { ...process.env, ...env, PORTER_OUT_DIR: out },
    stdio: 'pipe',
  });
  const dir = path.join(
    out,
    readdirSync(out).find((entry) => !entry.endsWith('.zip'))!,
  );
  builds[name] = { dir, manifest: JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) };
}

beforeAll(() => {
  build('chrome', []);
  build('firefox', ['-b', 'firefox', '--mv3']);
  build('sandbox', [], { AFP_SANDBOX: '1' });
}, 180_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const ALL_URLS = /<all_urls>|^\*:\/\/\*\/\*$/;

describe('built manifests ask for nothing beyond the list', () => {
  it('Chrome store build', () => {
    const { manifest } = builds.chrome!;
    expect([...manifest.permissions!].sort()).toEqual([
      'alarms',
      'downloads',
      'offscreen',
      'scripting',
      'unlimitedStorage',
    ]);
    expect(manifest.host_permissions).toEqual(PRODUCT_MATCHES);
    expect(manifest.optional_host_permissions).toEqual(OPTIONAL_MATCHES);
    expect(manifest.optional_permissions ?? []).toEqual([]);
    expect(manifest.content_scripts!.flatMap((script) => script.matches)).toEqual(PRODUCT_MATCHES);
    expect(manifest.web_accessible_resources ?? []).toEqual([]);
    expect(manifest.externally_connectable).toBeUndefined();
    expect(manifest.content_security_policy).toBeUndefined();
  });

  it('Firefox store build: the same, without the Chrome-only offscreen permission', () => {
    const { manifest } = builds.firefox!;
    expect([...manifest.permissions!].sort()).toEqual([
      'alarms',
      'downloads',
      'scripting',
      'unlimitedStorage',
    ]);
    expect(manifest.host_permissions).toEqual(PRODUCT_MATCHES);
    expect(manifest.content_scripts!.flatMap((script) => script.matches)).toEqual(PRODUCT_MATCHES);
    expect(manifest.background?.scripts).toBeDefined();
  });

  it('sandbox build: only the loopback hosts are added', () => {
    const { manifest } = builds.sandbox!;
    expect([...manifest.permissions!].sort()).toEqual([...builds.chrome!.manifest.permissions!].sort());
    expect(manifest.host_permissions).toEqual([...PRODUCT_MATCHES, ...SANDBOX_MATCHES]);
    expect(manifest.content_scripts!.flatMap((script) => script.matches)).toEqual([
      ...PRODUCT_MATCHES,
      ...SANDBOX_MATCHES,
    ]);
  });

  it('no build matches every site or loads remote code', () => {
    for (const [name, { dir, manifest }] of Object.entries(builds)) {
      const hosts = [
        ...(manifest.host_permissions ?? []),
        ...manifest.content_scripts!.flatMap((s) => s.matches),
      ];
      for (const host of hosts) expect(host, name).not.toMatch(ALL_URLS);
      const files = readdirSync(dir, { recursive: true }).map(String);
      for (const file of files.filter((f) => f.endsWith('.html'))) {
        expect(readFileSync(path.join(dir, file), 'utf8'), `${name}/${file}`).not.toMatch(
          /<script[^>]+src=["']https?:/,
        );
      }
      for (const file of files.filter((f) => f.endsWith('.js'))) {
        const code = readFileSync(path.join(dir, file), 'utf8');
        expect(code, `${name}/${file}`).not.toMatch(/\bimport\(\s*["']https?:|importScripts\(\s*["']https?:/);
      }
    }
  });
});
