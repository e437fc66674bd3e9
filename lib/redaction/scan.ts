/**
 * What `porter scan` and the final leak check do with a file: every string of a parsed JSON value (keys and
 * values, each judged with the key it sits under), or a text line by line, through the one scanner; findings
 * carry a path or a line and column, the rule and a fingerprint, never the secret.
 */
import { PACKAGE_FILES, type PackageContent } from '../package/schemas';
import { fingerprintSecret } from './fingerprint';
import { itemHint, memberHint, numberAsSecretText, pairName } from './keys';
import { child, isPlainObject, pathText, type PathNode, type Segment } from './paths';
import type { ProvenClean } from './proven';
import { findSecrets, SecretScanMemo } from './scanner';

export interface ScanFinding {
  file: string;
  path: string;
  rule: string;
  fingerprint: string;
}

export interface TextScanFinding {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  rule: string;
  fingerprint: string;
}

const FILE = PACKAGE_FILES;

// ---------------------------------------------------------------------------------------------------------

/**
 * The walk behind `scanJson`: every string (keys and values) through `findSecrets`, answered by `memo` for
 * strings it already found clean, except in the arrays and objects `proven` (when given) vouches for; paths
 * are only put into words for findings.
 */
export function scanJsonWith(
  value: unknown,
  file: string,
  fingerprintKey: string | undefined,
  memo: SecretScanMemo,
  out: ScanFinding[],
  proven?: ProvenClean,
): void {
  const visitString = (
    text: string,
    hint: string | undefined,
    path: PathNode | null,
    last?: Segment,
    suffix = '',
  ) => {
    const findings = memo.findSecrets(text, hint);
    if (findings.length === 0) return;
    const where = `${pathText(path, last)}${suffix}`;
    for (const finding of findings) {
      out.push({
        file,
        path: where,
        rule: finding.rule,
        fingerprint: fingerprintSecret(text.slice(finding.start, finding.end), fingerprintKey),
      });
    }
  };
  // `node` sits at `parent` + `segment`; a path node is made only for arrays and objects.
  const walk = (
    node: unknown,
    parent: PathNode | null,
    segment: Segment | undefined,
    hint: string | undefined,
  ) => {
    if (typeof node === 'string') visitString(node, hint, parent, segment);
    else if (typeof node === 'number') {
      const text = numberAsSecretText(node, hint);
      if (text !== undefined) visitString(text, hint, parent, segment);
    } else if (proven?.has(node, hint)) return;
    else if (Array.isArray(node)) {
      const path = segment === undefined ? parent : child(parent, segment);
      for (let index = 0; index < node.length; index++)
        walk(node[index], path, index, itemHint(node, index, hint));
    } else if (isPlainObject(node)) {
      const path = segment === undefined ? parent : child(parent, segment);
      const pair = pairName(node);
      for (const key of Object.keys(node)) {
        const hasSecretKey = memo.findSecrets(key, undefined).length > 0;
        const safeKey = hasSecretKey ? '(redacted key)' : key;
        if (hasSecretKey) visitString(key, undefined, path, safeKey, ' (key)');
        walk(node[key], path, safeKey, memberHint(key, pair));
      }
    }
  };
  walk(value, null, undefined, undefined);
}

/** Every secret finding in a parsed JSON value (keys and values), with JSON paths. */
export function scanJson(
  value: unknown,
  file: string,
  options: { fingerprintKey?: string } = {},
): ScanFinding[] {
  const out: ScanFinding[] = [];
  scanJsonWith(value, file, options.fingerprintKey, new SecretScanMemo(), out);
  return out;
}

/** Every secret finding in the three files of a package. */
export function scanPackageContent(
  content: PackageContent,
  options: { fingerprintKey?: string } = {},
): ScanFinding[] {
  return [
    ...scanJson(content.app, FILE.app, options),
    ...scanJson(content.flow, FILE.flow, options),
    ...scanJson(content.env, FILE.env, options),
  ];
}

/** Every secret finding in a text (a file that is not JSON, or JSON read as text), with line and column. */
export function scanText(
  text: string,
  file: string,
  options: { fingerprintKey?: string } = {},
): TextScanFinding[] {
  const findings = findSecrets(text);
  if (findings.length === 0) return [];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  return findings.map((finding) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= finding.start) lo = mid;
      else hi = mid - 1;
    }
    return {
      file,
      line: lo + 1,
      column: finding.start - lineStarts[lo]! + 1,
      rule: finding.rule,
      fingerprint: fingerprintSecret(text.slice(finding.start, finding.end), options.fingerprintKey),
    };
  });
}
