/**
 * Masks secrets inside values the CLI prints (a native package shows config values as they are): see
 * lib/package/conceal.ts. Best effort, on top of the rule that packages made by AFP Porter hold no secrets.
 */
import { createConcealer } from '../package/conceal.ts';

export function maskText(text: string, fingerprintKey?: string): string {
  return createConcealer(fingerprintKey).text(text);
}

/** A deep copy of `value` with every secret masked, judged with the key each string sits under. */
export function maskDeep<T>(value: T, fingerprintKey?: string): T {
  return createConcealer(fingerprintKey).deep(value);
}
