import { describe, expect, it } from 'vitest';
import { GENERIC_RULES } from '../../../lib/redaction/heuristics';
import { PROVIDER_RULES } from '../../../lib/redaction/rules/index';
import { findSecrets, RULES } from '../../../lib/redaction/scanner';
import type { Rule } from '../../../lib/redaction/types';
import { GITLEAKS_RULE_IDS } from './gitleaks-ids';
import { SAMPLES } from './rule-samples';

/** gitleaks rules that have no counterpart here, and why. */
const NOT_APPLICABLE: Record<string, string> = {
  'pkcs12-file': 'matches file names (*.p12, *.pfx); a package holds JSON strings, not files',
};
/** gitleaks rules the generic heuristics cover (lib/redaction/heuristics.ts). */
const BY_HEURISTICS: Record<string, string> = {
  'generic-api-key': 'secret-assignment, url-secret-param, generic-high-entropy',
  'curl-auth-header': 'auth-header, api-key-header',
  'curl-auth-user': 'cli-password',
  'sidekiq-sensitive-url': 'url-credentials',
};

/** What `rule` alone finds in `text`: its regex, its group, its checks. */
function ruleFinds(rule: Rule, text: string, secret: string): boolean {
  const regex = new RegExp(rule.regex.source, rule.regex.flags);
  for (let match = regex.exec(text); match; match = regex.exec(text)) {
    if (regex.lastIndex <= match.index) regex.lastIndex = match.index + 1;
    const found = match[rule.group ?? 0] ?? '';
    if (found && secret.startsWith(found) && (!rule.validate || rule.validate(found, match, text)))
      return true;
  }
  return false;
}

describe('provider rules', () => {
  it('cover every rule of gitleaks’ published rule set', () => {
    const covered = new Set(RULES.flatMap((rule) => rule.covers ?? []));
    const missing = GITLEAKS_RULE_IDS.filter(
      (id) => !covered.has(id) && !(id in NOT_APPLICABLE) && !(id in BY_HEURISTICS),
    );
    expect(missing).toEqual([]);
    for (const id of Object.keys(BY_HEURISTICS)) expect(GITLEAKS_RULE_IDS).toContain(id);
  });

  it('each have keywords, in lower case', () => {
    for (const rule of [...PROVIDER_RULES, ...GENERIC_RULES]) {
      expect(rule.keywords.length, rule.id).toBeGreaterThan(0);
      for (const word of rule.keywords) expect(word, rule.id).toBe(word.toLowerCase());
    }
  });

  it('each have samples, and each rule finds one of its id’s samples on its own', () => {
    for (const rule of PROVIDER_RULES) {
      const samples = SAMPLES[rule.id];
      expect(samples, `samples for ${rule.id}`).toBeDefined();
      expect(samples!.keep.length, `a sample ${rule.id} must leave`).toBeGreaterThan(0);
      expect(
        samples!.find.some(([text, secret]) => ruleFinds(rule, text, secret)),
        `${rule.id} (${rule.description}) finds one of its samples`,
      ).toBe(true);
    }
    const ids = new Set(PROVIDER_RULES.map((rule) => rule.id));
    expect(Object.keys(SAMPLES).filter((id) => !ids.has(id))).toEqual([]);
  });

  describe.each(Object.entries(SAMPLES))('%s', (id, samples) => {
    it.each(samples.find)('finds the whole secret in %s', (text, secret) => {
      const findings = findSecrets(text);
      expect(findings.map((f) => f.rule)).toContain(id);
      let redacted = '';
      let cursor = 0;
      for (const finding of findings) {
        redacted += text.slice(cursor, finding.start) + '■';
        cursor = finding.end;
      }
      redacted += text.slice(cursor);
      expect(redacted).not.toContain(secret);
      // Not even a part of it is left beside the replacement (the whole token goes).
      expect(redacted).not.toContain(secret.slice(-8));
    });
    it.each(samples.keep)('leaves %s', (text) => {
      expect(findSecrets(text)).toEqual([]);
    });
  });
});
