/**
 * Hides secrets in values that are about to be shown (a diff, an inspected package): a package made by the
 * platform's own export still holds whatever users typed into ordinary fields.
 *
 * A secret becomes `‹secret <rule> #<fingerprint>›`, so two places that hold the same secret, or a secret that
 * changed, can still be told apart. A guessable value (see fingerprint.ts) gets no fingerprint: `‹secret <rule> ~<digest>›`,
 * a digest under a key this concealer never stores, which tells values apart within one output only. A string is hidden where:
 * - the scanner finds a secret in it, judged with its key (`apiKey`, a header's name) as context;
 * - or it sits under a key that names a secret (`password`, `accessToken`, an `Authorization` header) and is not a
 *   reference or a placeholder: shown values need no proof that they are random, only a reason to be careful.
 */
import { fingerprintSecret, keyedDigest, newFingerprintKey, NOT_FINGERPRINTED } from './fingerprint.ts';
import {
  classifyKey,
  findSecrets,
  isPlaceholder,
  isReference,
  itemHint,
  memberHint,
  numberAsSecretText,
  pairName,
  type SecretFinding,
} from './scanner.ts';

/** The rule named for a value hidden only because of the key it sits under. */
const KEYED_RULE = 'secret-field';

export interface Concealer {
  text(value: string, key?: string): string;
  deep<T>(value: T): T;
}

/** `fingerprintKey` defaults to a random one: fingerprints then only compare within this concealer's output. */
export function createConcealer(fingerprintKey: string = newFingerprintKey()): Concealer {
  // Guessable values get no fingerprint; within this one output they are told apart by a digest under a key
  // that is never stored (`~…`), so a changed password still shows as changed and nothing can be tested later.
  const outputKey = newFingerprintKey();
  const mark = (secret: string, rule: string) => {
    const fingerprint = fingerprintSecret(secret, fingerprintKey);
    return fingerprint === NOT_FINGERPRINTED
      ? `‹secret ${rule} ~${keyedDigest(secret, outputKey, 8)}›`
      : `‹secret ${rule} #${fingerprint}›`;
  };

  const text = (value: string, key?: string): string => {
    const findings = findSecrets(value, key ? { key } : undefined);
    if (findings.length === 0) {
      return key && namesSecret(key) && mayHoldSecret(value) ? mark(value, KEYED_RULE) : value;
    }
    return replaceSpans(value, findings, mark);
  };

  const deep = <T>(value: T, key?: string): T => {
    if (typeof value === 'string') return text(value, key) as T;
    if (typeof value === 'number') {
      const written = numberAsSecretText(value, key);
      const shown = written === undefined ? written : text(written, key);
      return (shown === written ? value : shown) as T;
    }
    if (Array.isArray(value))
      return value.map((item, index) => deep(item, itemHint(value, index, undefined))) as T;
    if (value && typeof value === 'object') {
      // A header, parameter or variable (`{key: "X-Api-Key", value: "…"}`): its value is judged by its name.
      const record = value as Record<string, unknown>;
      const pair = pairName(record);
      return Object.fromEntries(
        Object.entries(record).map(([name, child]) => [name, deep(child, memberHint(name, pair))]),
      ) as T;
    }
    return value;
  };

  return { text, deep: (value) => deep(value) };
}

function namesSecret(key: string): boolean {
  const kind = classifyKey(key);
  return kind !== null && kind !== 'weak';
}

function mayHoldSecret(value: string): boolean {
  const trimmed = value.trim();
  return trimmed.length > 0 && !trimmed.includes('{{') && !isReference(trimmed) && !isPlaceholder(trimmed);
}

function replaceSpans(
  value: string,
  findings: readonly SecretFinding[],
  mark: (secret: string, rule: string) => string,
): string {
  let out = '';
  let cursor = 0;
  for (const finding of [...findings].sort((a, b) => a.start - b.start)) {
    if (finding.start < cursor) continue;
    out += value.slice(cursor, finding.start) + mark(value.slice(finding.start, finding.end), finding.rule);
    cursor = finding.end;
  }
  return out + value.slice(cursor);
}
