import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFingerprintKey } from '../../../lib/cli/fingerprint-key';
import { DEFAULT_FINGERPRINT_KEY } from '../../../lib/redaction/fingerprint';
import { porter, tempDir } from './helpers.ts';

describe('the CLI’s fingerprint key', () => {
  it('is made once per user, readable by that user only, and reused', async () => {
    const config = mkdtempSync(path.join(tmpdir(), 'porter-config-'));
    const key = await cliFingerprintKey({ XDG_CONFIG_HOME: config });
    const file = path.join(config, 'afp-porter', 'fingerprint-key');
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await cliFingerprintKey({ XDG_CONFIG_HOME: config })).toBe(key);
  });

  it('comes from PORTER_FINGERPRINT_KEY when set', async () => {
    expect(await cliFingerprintKey({ PORTER_FINGERPRINT_KEY: 'team-key' })).toBe('team-key');
  });

  it('is a random key for this run, never the public default, when it cannot be kept, and says so once', async () => {
    const notAFolder = path.join(mkdtempSync(path.join(tmpdir(), 'porter-config-')), 'a-file');
    writeFileSync(notAFolder, 'x');
    const warnings: string[] = [];
    const first = await cliFingerprintKey({ XDG_CONFIG_HOME: notAFolder }, (line) => warnings.push(line));
    const second = await cliFingerprintKey({ XDG_CONFIG_HOME: notAFolder }, (line) => warnings.push(line));
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(first).not.toBe(DEFAULT_FINGERPRINT_KEY);
    expect(second).not.toBe(first);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(
      /^porter: warning: cannot keep a fingerprint key in ".*a-file\/afp-porter\/fingerprint-key" \(a part of the path is not a folder\); this run uses a one-off key, so its fingerprints will not match other runs/,
    );
  });

  it('a command run prints that warning as one line on stderr and still succeeds', async () => {
    const dir = await tempDir();
    try {
      writeFileSync(path.join(dir.path, 'config-file'), 'x');
      writeFileSync(path.join(dir.path, 'notes.txt'), 'nothing secret\n');
      const result = await porter(['scan', 'notes.txt'], {
        cwd: dir.path,
        env: { XDG_CONFIG_HOME: path.join(dir.path, 'config-file') },
      });
      expect(result.code).toBe(0);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        /^porter: warning: cannot keep a fingerprint key .* will not match other runs/,
      );
    } finally {
      await dir.remove();
    }
  });
});
