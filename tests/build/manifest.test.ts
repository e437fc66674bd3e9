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
import { EXTENSION_PAGES_CSP } from '../../lib/csp';

interface Manifest {
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  optional_permissions?: string[];
  content_scripts?: { matches: string[] }[];
  web_accessible_resources?: unknown[];
  content_security_policy?: { extension_pages?: string; sandbox?: string };
  externally_connectable?: unknown;
  background?: { service_worker?: string; scripts?: string[] };
  browser_specific_settings?: unknown;
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
    expect(manifest.content_security_policy).toEqual({ extension_pages: EXTENSION_PAGES_CSP });
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

describe('the Firefox store package', () => {
  it('has the keys Firefox needs and nothing more', () => {
    const { manifest } = builds.firefox!;
    expect(Object.keys(manifest).sort()).toEqual(
      [
        'action',
        'background',
        'browser_specific_settings',
        'content_scripts',
        'content_security_policy',
        'description',
        'host_permissions',
        'icons',
        'manifest_version',
        'name',
        'optional_host_permissions',
        'options_ui',
        'permissions',
        'version',
      ].sort(),
    );
    expect(manifest.optional_host_permissions).toEqual(OPTIONAL_MATCHES);
  });

  it('names its add-on id, the oldest Firefox it runs in, and that it collects no data', () => {
    expect(builds.firefox!.manifest.browser_specific_settings).toEqual({
      gecko: {
        id: 'afp-porter@porter.dev',
        // 140 ESR: the first with data_collection_permissions, which new listings must declare.
        strict_min_version: '140.0',
        data_collection_permissions: { required: ['none'] },
      },
      gecko_android: { strict_min_version: '142.0' },
    });
  });

  it('runs its background as an event page, with no Chrome-only entry point', () => {
    const { dir, manifest } = builds.firefox!;
    expect(manifest.background).toEqual({ scripts: ['background.js'] });
    expect(readdirSync(dir)).not.toContain('offscreen.html');
  });

  it('the Chrome build declares no Firefox settings', () => {
    expect(builds.chrome!.manifest.browser_specific_settings).toBeUndefined();
  });
});

describe('the extension pages run under a strict content security policy', () => {
  /** `script-src 'self'` → { 'script-src': ["'self'"] } */
  function directives(policy: string): Record<string, string[]> {
    return Object.fromEntries(
      policy
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .filter(([name]) => name)
        .map(([name, ...sources]) => [name!, sources]),
    );
  }

  it('every build: scripts from the package only, no eval, no plugins, no <base>, no framing', () => {
    for (const [name, { manifest }] of Object.entries(builds)) {
      expect(manifest.content_security_policy?.sandbox, name).toBeUndefined();
      const policy = directives(manifest.content_security_policy!.extension_pages!);
      expect(policy['script-src'], name).toEqual(["'self'"]);
      expect(policy['object-src'], name).toEqual(["'none'"]);
      expect(policy['base-uri'], name).toEqual(["'none'"]);
      expect(policy['frame-ancestors'], name).toEqual(["'none'"]);
      for (const sources of Object.values(policy)) {
        for (const source of sources) expect(source, name).not.toMatch(/unsafe|^\*$|^https?:|^data:|^blob:/);
      }
    }
  });

  it('pages hold no inline script or handler, and no bundle evaluates a string as code', () => {
    for (const [name, { dir }] of Object.entries(builds)) {
      const files = readdirSync(dir, { recursive: true }).map(String);
      for (const file of files.filter((f) => f.endsWith('.html'))) {
        const html = readFileSync(path.join(dir, file), 'utf8');
        const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
        for (const [, attributes, body] of scripts) {
          expect(attributes, `${name}/${file}`).toMatch(/\bsrc="\/[^"]+\.js"/);
          expect(body!.trim(), `${name}/${file}`).toBe('');
        }
        expect(html, `${name}/${file}`).not.toMatch(/\son[a-z]+\s*=/i);
      }
      for (const file of files.filter((f) => f.endsWith('.js'))) {
        const code = readFileSync(path.join(dir, file), 'utf8');
        expect(code.match(/(?<![\w.$])(eval|Function)\(/g) ?? [], `${name}/${file}`).toEqual([]);
      }
    }
  });
});
