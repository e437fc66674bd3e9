/**
 * Small settings of this installation, in the extension's own IndexedDB (idb-keyval).
 */
import { createStore, get, set, type UseStore } from 'idb-keyval';
import { newFingerprintKey } from '../redaction/fingerprint';

export function settingsStore(): UseStore {
  return createStore('afp-porter-settings', 'settings');
}

const FINGERPRINT_KEY = 'fingerprintKey';

/**
 * The key for secret fingerprints in redaction reports: random per installation, so a report's fingerprints match
 * each other and the same secret across exports, but nobody else can test guesses of a weak secret against them.
 */
export async function fingerprintKey(store: UseStore): Promise<string> {
  const stored = await get<string>(FINGERPRINT_KEY, store);
  if (stored) return stored;
  const created = newFingerprintKey();
  await set(FINGERPRINT_KEY, created, store);
  return created;
}
