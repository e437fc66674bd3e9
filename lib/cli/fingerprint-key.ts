/**
 * The CLI's fingerprint key: `PORTER_FINGERPRINT_KEY`, else a random key kept for this user in
 * `$XDG_CONFIG_HOME/afp-porter/fingerprint-key` (readable by the user only), made on first use. Fingerprints are then
 * stable for one person across runs, and nobody without the key can test guesses of a weak secret against them.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { DEFAULT_FINGERPRINT_KEY, newFingerprintKey } from '../package/fingerprint.ts';

export async function cliFingerprintKey(env: Record<string, string | undefined>): Promise<string> {
  if (env.PORTER_FINGERPRINT_KEY) return env.PORTER_FINGERPRINT_KEY;
  const configDir = env.XDG_CONFIG_HOME || path.join(env.HOME || homedir(), '.config');
  const file = path.join(configDir, 'afp-porter', 'fingerprint-key');
  try {
    const stored = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(stored)) return stored;
  } catch {
    // Not there yet: made below.
  }
  const key = newFingerprintKey();
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, `${key}\n`, { mode: 0o600 });
    return key;
  } catch {
    // A read-only home: fingerprints still work, with the shared default key.
    return DEFAULT_FINGERPRINT_KEY;
  }
}
