import { describe, expect, it } from 'vitest';
import { createStore } from 'idb-keyval';
import { fingerprintKey } from '../../../lib/store/settings';

describe('installation settings', () => {
  it('makes a random fingerprint key once and keeps it', async () => {
    const store = createStore(`settings-${Math.random()}`, 'settings');
    const first = await fingerprintKey(store);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await fingerprintKey(store)).toBe(first);
    expect(await fingerprintKey(createStore(`settings-${Math.random()}`, 'settings'))).not.toBe(first);
  });
});
