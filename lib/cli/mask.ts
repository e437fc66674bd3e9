/**
 * Masks secrets inside values the CLI prints (a diff of a native package shows config values as they are):
 * every span `findSecrets` recognises becomes `‹secret rule #fingerprint›`. Best effort, on top of the rule
 * that packages made by AFP Porter hold no secrets in the first place.
 */
import { fingerprintSecret } from '../package/fingerprint.ts';
import { findSecrets } from '../package/secrets.ts';

export function maskText(text: string, fingerprintKey?: string): string {
  const findings = findSecrets(text).sort((a, b) => a.start - b.start);
  if (findings.length === 0) return text;
  let out = '';
  let cursor = 0;
  for (const finding of findings) {
    if (finding.start < cursor) continue;
    out += text.slice(cursor, finding.start);
    out += `‹secret ${finding.rule} #${fingerprintSecret(text.slice(finding.start, finding.end), fingerprintKey)}›`;
    cursor = finding.end;
  }
  return out + text.slice(cursor);
}

/** A deep copy of `value` with every string masked. */
export function maskDeep<T>(value: T, fingerprintKey?: string): T {
  if (typeof value === 'string') return maskText(value, fingerprintKey) as T;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, fingerprintKey)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, maskDeep(child, fingerprintKey)]),
    ) as T;
  }
  return value;
}
