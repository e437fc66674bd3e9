/**
 * `porter scan` as a CI gate: it fails closed (what it could not scan is a failure), says what it skipped,
 * counts right, and reports what a package must never contain. No platform needed.
 */
import { zipSync } from 'fflate';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { porter, tempDir } from './helpers.ts';

const FIXTURE = new URL('../../fixtures/packages/banking-assistant/', import.meta.url);
/** Fake secrets, assembled so that no whole token sits in the source. */
const AWS_KEY_ID = ['AKIA', '6FTV4HNL', 'NH3QXM2U'].join('');
const GITHUB_TOKEN = ['ghp', '_shRQNG3dhi4wVnX558', 'GkvxThvA0EhexWQ3cz'].join('');

let dir: { path: string; remove(): Promise<void> };
let cwd: string;
const env = { PORTER_FINGERPRINT_KEY: 'scan-test-key' };
let files: Record<string, Uint8Array>;

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** Sets the "encrypted" flag on every entry, in the local headers and the central directory. */
function markEncrypted(zip: Uint8Array): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let at = 0; at + 4 <= out.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50) view.setUint16(at + 6, view.getUint16(at + 6, true) | 1, true);
    if (signature === 0x02014b50) view.setUint16(at + 8, view.getUint16(at + 8, true) | 1, true);
  }
  return out;
}

beforeAll(async () => {
  dir = await tempDir('porter-scan-');
  cwd = dir.path;
  files = {};
  for (const name of ['app_definition.json', 'flow_definition.json', 'env_variables.json'])
    files[name] = new Uint8Array(await readFile(new URL(name, FIXTURE)));
});

afterAll(async () => {
  await dir?.remove();
});

describe('porter scan: what it could not scan', () => {
  it('says on stderr which files it skipped as binary, and still passes when the rest is clean', async () => {
    await mkdir(join(cwd, 'bin'), { recursive: true });
    await writeFile(join(cwd, 'bin', 'image.dat'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    await writeFile(join(cwd, 'bin', 'readme.txt'), 'nothing here\n');
    const result = await porter(['scan', 'bin'], { cwd, env });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      'porter: skipped bin/image.dat: binary file (a NUL byte in the first 8 KB), not scanned\n',
    );
    expect(result.stdout).toBe('No secrets found in 1 file.\n');
  });

  it('decodes UTF-16 text (with a byte-order mark, or without one) and finds the secret in it', async () => {
    const text = `key ${AWS_KEY_ID}\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const bomless = Buffer.from(text, 'utf16le');
    await writeFile(join(cwd, 'utf16.txt'), le);
    await writeFile(join(cwd, 'utf16-nobom.txt'), bomless);
    const result = await porter(['scan', 'utf16.txt', 'utf16-nobom.txt'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^utf16\.txt +1:5 +aws-access-key-id +[0-9a-f]{16}$/m);
    expect(result.stdout).toMatch(/^utf16-nobom\.txt +1:5 +aws-access-key-id +[0-9a-f]{16}$/m);
    expect(result.stdout).toContain('2 possible secrets found in 2 of 2 files.');
    expect(result.stderr).toBe('');
  });

  it('finds a token that a key written twice hides from JSON.parse, by line and column', async () => {
    await writeFile(join(cwd, 'twice.json'), `{"name": "CRM", "token": "${GITHUB_TOKEN}", "token": ""}\n`);
    const result = await porter(['scan', 'twice.json'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^twice\.json +1:27 +github-token +[0-9a-f]{16}$/m);
    expect(result.stderr).toBe('');
  });

  it('scans JSON nested 100,000 levels deep as text, finding the token in it', async () => {
    const deep = `${'{"a":'.repeat(100_000)}"${AWS_KEY_ID}"${'}'.repeat(100_000)}`;
    await writeFile(join(cwd, 'deep.json'), deep);
    const result = await porter(['scan', 'deep.json'], { cwd, env });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^deep\.json +1:500002 +aws-access-key-id +[0-9a-f]{16}$/m);
  });

  it('follows a symbolic link named on the command line; inside a folder it says it did not', async () => {
    await mkdir(join(cwd, 'linked'), { recursive: true });
    await writeFile(join(cwd, 'target.txt'), `token=${GITHUB_TOKEN}\n`);
    await symlink(join(cwd, 'target.txt'), join(cwd, 'link.txt'));
    await symlink(join(cwd, 'target.txt'), join(cwd, 'linked', 'link.txt'));

    const direct = await porter(['scan', 'link.txt'], { cwd, env });
    expect(direct.code).toBe(1);
    expect(direct.stdout).toMatch(/^link\.txt +1:\d+ +github-token +[0-9a-f]{16}$/m);
    expect(direct.stdout).toContain('1 possible secret found in 1 of 1 file.');

    const inFolder = await porter(['scan', 'linked'], { cwd, env });
    expect(inFolder.code).toBe(0);
    expect(inFolder.stderr).toBe('porter: skipped linked/link.txt: symbolic link, not followed\n');
    expect(inFolder.stdout).toBe('No secrets found in 0 files.\n');
  });

  it('fails (exit 1) on an encrypted zip, given directly or found in a folder, even with nothing found', async () => {
    await mkdir(join(cwd, 'exports'), { recursive: true });
    const encrypted = markEncrypted(zipSync(files));
    await writeFile(join(cwd, 'locked.zip'), encrypted);
    await writeFile(join(cwd, 'exports', 'locked.zip'), encrypted);
    await writeFile(join(cwd, 'exports', 'notes.txt'), 'clean\n');

    const direct = await porter(['scan', 'locked.zip'], { cwd, env });
    expect(direct.code).toBe(1);
    expect(direct.stderr.split('\n')[0]).toBe(
      'porter: cannot scan locked.zip: encrypted (password-protected) zip; its content was not scanned',
    );
    expect(direct.stderr).toMatch(/^porter: the scan is incomplete: 1 item could not be scanned/m);
    expect(direct.stdout).toBe('No secrets found in 0 files; 1 item could not be scanned.\n');

    const inFolder = await porter(['scan', 'exports'], { cwd, env });
    expect(inFolder.code).toBe(1);
    expect(inFolder.stderr).toMatch(/^porter: cannot scan exports\/locked\.zip: encrypted/m);
    expect(inFolder.stdout).toBe('No secrets found in 1 file; 1 item could not be scanned.\n');
  });

  it('fails on a damaged zip: unreadable, or an entry whose CRC does not match', async () => {
    const good = zipSync(files, { level: 0 });
    await writeFile(join(cwd, 'truncated.zip'), good.subarray(0, Math.floor(good.length / 2)));
    const flipped = good.slice();
    const at = new TextDecoder('latin1').decode(flipped).indexOf('"schemaVersion"');
    flipped[at + 1] = flipped[at + 1]! ^ 0x20; // "schemaVersion" → "SchemaVersion": same size, wrong CRC
    await writeFile(join(cwd, 'flipped.zip'), flipped);

    const truncated = await porter(['scan', 'truncated.zip'], { cwd, env });
    expect(truncated.code).toBe(1);
    expect(truncated.stderr).toMatch(/^porter: cannot scan truncated\.zip: not a readable zip/m);

    const crc = await porter(['scan', 'flipped.zip'], { cwd, env });
    expect(crc.code).toBe(1);
    expect(crc.stderr).toMatch(
      /^porter: cannot scan flipped\.zip: not a readable zip \(.*app_definition\.json/m,
    );
  });

  it('fails on a path that does not exist but still scans the others', async () => {
    await writeFile(join(cwd, 'secret.txt'), `aws ${AWS_KEY_ID}\n`);
    const result = await porter(['scan', 'nowhere', 'secret.txt'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^porter: cannot scan nowhere: no such file or folder$/m);
    expect(result.stdout).toContain('1 possible secret found in 1 of 1 file; 1 item could not be scanned.');
  });

  it('counts the files with findings apart from the files scanned', async () => {
    await mkdir(join(cwd, 'count'), { recursive: true });
    await writeFile(join(cwd, 'count', 'a.txt'), `one ${AWS_KEY_ID}\ntwo ${GITHUB_TOKEN}\n`);
    await writeFile(join(cwd, 'count', 'b.txt'), 'clean\n');
    await writeFile(join(cwd, 'count', 'c.txt'), 'clean too\n');
    const result = await porter(['scan', 'count'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n').pop()).toBe('2 possible secrets found in 1 of 3 files.');
  });

  it('--json lists findings, skipped and failed items', async () => {
    const result = await porter(['scan', 'locked.zip', 'bin', '--json'], { cwd, env });
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      scanned: number;
      filesWithFindings: number;
      skipped: { file: string; reason: string }[];
      failed: { file: string; reason: string }[];
    };
    expect(report.scanned).toBe(1);
    expect(report.filesWithFindings).toBe(0);
    expect(report.skipped.map((note) => note.file)).toEqual(['bin/image.dat']);
    expect(report.failed.map((note) => note.file)).toEqual(['locked.zip']);
  });
});

describe('porter scan: what a package must never contain', () => {
  it('reports a secure value, the push access token and workflow API keys as findings, never the values', async () => {
    const app = JSON.parse(new TextDecoder().decode(files['app_definition.json'])) as Record<
      string,
      Record<string, unknown>
    >;
    app.execution = {
      ...app.execution,
      async: {
        enabled: true,
        timeoutSec: 300,
        push: { callbackUrl: 'https://hooks.example/cb', accessToken: 'abc' },
      },
    };
    app.workflow = { ...app.workflow, apiKeys: [{ name: 'prod', key: 'x1' }] };
    const envFile = {
      schemaVersion: '1.0',
      variables: [
        { name: 'CRM_TOKEN', value: '', secure: true, notes: '' },
        { name: 'FOO', value: 'plainvalue1', secure: true, notes: '' },
      ],
    };
    await writeFile(
      join(cwd, 'leaky.zip'),
      zipSync({ ...files, 'app_definition.json': json(app), 'env_variables.json': json(envFile) }),
    );
    const result = await porter(['scan', 'leaky.zip'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^leaky\.zip!app_definition\.json +execution\.async\.push\.accessToken +push-access-token +(?:[0-9a-f]{16}|low-entropy, not fingerprinted)$/m,
    );
    expect(result.stdout).toMatch(
      /^leaky\.zip!app_definition\.json +workflow\.apiKeys +workflow-api-keys +(?:[0-9a-f]{16}|low-entropy, not fingerprinted)$/m,
    );
    expect(result.stdout).toMatch(
      /^leaky\.zip!env_variables\.json +variables\[1\]\.value +secure-value +(?:[0-9a-f]{16}|low-entropy, not fingerprinted)$/m,
    );
    expect(result.stdout).toContain('3 possible secrets found in 1 of 1 file.');
    expect(result.stdout).not.toContain('plainvalue1');

    // The same files unpacked in a folder.
    await mkdir(join(cwd, 'unpacked'), { recursive: true });
    await writeFile(join(cwd, 'unpacked', 'env_variables.json'), JSON.stringify(envFile));
    const folder = await porter(['scan', 'unpacked'], { cwd, env });
    expect(folder.code).toBe(1);
    expect(folder.stdout).toMatch(/^unpacked\/env_variables\.json +variables\[1\]\.value +secure-value /m);

    // A clean package stays clean.
    await writeFile(join(cwd, 'clean.zip'), zipSync(files));
    expect((await porter(['scan', 'clean.zip'], { cwd, env })).code).toBe(0);
  });
});
