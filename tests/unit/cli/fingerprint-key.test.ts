import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliFingerprintKey } from '../../../lib/cli/fingerprint-key';

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
});
