/**
 * The CLI's fingerprint key: `PORTER_FINGERPRINT_KEY`, else a random key kept for this user in
 * `$XDG_CONFIG_HOME/afp-porter/fingerprint-key` (readable by the user only), made on first use. Fingerprints are then
 * stable for one person across runs, and nobody without the key can test guesses of a weak secret against them.
 *
 * When the key can be neither read nor kept (a read-only home, `XDG_CONFIG_HOME` naming a file), the run uses a
 * random key of its own and says so once on stderr: its fingerprints will not match those of other runs. It
 * never falls back to the public default key, against which anyone could test guesses.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { newFingerprintKey } from '../redaction/fingerprint.ts';
import { fsErrorMessage } from './files.ts';

export async function cliFingerprintKey(
  env: Record<string, string | undefined>,
  /** Told (one line, without a newline) when the key is only good for this run. */
  warn: (line: string) => void = () => undefined,
): Promise<string> {
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
  } catch (error) {
    warn(
      `porter: warning: cannot keep a fingerprint key in "${file}" (${fsErrorMessage(error)}); this run uses a one-off key, so its fingerprints will not match other runs (set PORTER_FINGERPRINT_KEY to choose one)`,
    );
  }
  return key;
}

/** The key for one command run: a warning, if any, goes to the run's stderr. */
export function fingerprintKeyFor(io: {
  env: Record<string, string | undefined>;
  stderr: { write(chunk: string): unknown };
}): Promise<string> {
  return cliFingerprintKey(io.env, (line) => void io.stderr.write(`${line}\n`));
}
