import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fingerprintSecret,
  newFingerprintKey,
  DEFAULT_FINGERPRINT_KEY,
} from '../../../lib/package/fingerprint';
import {
  classifyKey,
  findSecrets,
  findSecretsExhaustive,
  isPlaceholder,
  nextSecretCandidate,
  SecretScanMemo,
  looksRandom,
  SECRET_RULES,
  shannonEntropy,
} from '../../../lib/package/secrets';

interface Entry {
  id: string;
  place: string;
  key?: string;
  text: string;
  secret?: string;
  keep?: string[];
}
const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/secrets/${name}`, import.meta.url));
const unsplit = (value: string) => value.replaceAll('§', '');
const PLANTED = (JSON.parse(readFileSync(fixture('planted.json'), 'utf8')).secrets as Entry[]).map((e) => ({
  ...e,
  text: unsplit(e.text),
  secret: unsplit(e.secret!),
  keep: e.keep!.map(unsplit),
}));
const BENIGN = JSON.parse(readFileSync(fixture('benign.json'), 'utf8')).strings as Entry[];

/** The hint the redaction gives for a place: the key for fields and headers, the field name otherwise. */
const PLACE_HINT: Record<string, string> = {
  url: 'url',
  body: 'content',
  'code-js': 'code',
  'code-py': 'code',
  prompt: 'prompt',
  'env-notes': 'notes',
};
const hintFor = (entry: Entry) => (entry.place in PLACE_HINT ? PLACE_HINT[entry.place] : entry.key);

/** Replaces the findings by `<rule>`. */
function mask(text: string, key?: string): string {
  let out = text;
  for (const finding of [...findSecrets(text, key ? { key } : undefined)].reverse()) {
    out = `${out.slice(0, finding.start)}<${finding.rule}>${out.slice(finding.end)}`;
  }
  return out;
}

describe('findSecrets on the corpora', () => {
  it.each(PLANTED.filter((e) => e.place !== 'known-secure').map((e) => [e.id, e] as const))(
    'finds %s and only its span',
    (_id, entry) => {
      const masked = mask(entry.text, hintFor(entry));
      expect(masked.includes(entry.secret)).toBe(false);
      for (const keep of entry.keep) expect(masked).toContain(keep);
    },
  );

  it.each(BENIGN.map((e) => [e.id, e.text.slice(0, 60), e] as const))(
    'leaves %s alone: %s',
    (_id, _label, entry) => {
      expect(findSecrets(entry.text, hintFor(entry) ? { key: hintFor(entry)! } : undefined)).toEqual([]);
    },
  );
});

describe('findSecrets: rules and spans', () => {
  it('marks only the token of an Authorization header and keeps the scheme', () => {
    const text = 'Bearer sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d';
    const [finding] = findSecrets(text, { key: 'Authorization' });
    expect(text.slice(finding!.start, finding!.end)).toBe('sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d');
    expect(finding!.rule).toBe('openai-key');
  });

  it('treats {{…}} references as never secret, even under secret keys', () => {
    for (const [text, key] of [
      ['Bearer {{context.env.CRM_TOKEN}}', 'Authorization'],
      ['{{context.env.API_KEY}}', 'apiKey'],
      ['postgres://u:{{context.env.DB_PASS}}@h:5432/db', undefined],
      ['https://x.test/?api_key={{context.env.K}}&token={{context.env.T}}', undefined],
      ['const apiKey = "{{context.env.OPENAI_API_KEY}}";', undefined],
      ['Authorization: Bearer ${token}', undefined],
    ] as const) {
      expect(findSecrets(text, key ? { key } : undefined), text).toEqual([]);
    }
  });

  it('finds secrets inside cURL commands, code and query strings with the right rule', () => {
    expect(mask('curl -H "Authorization: Basic dXNlcjpQYXNzdzByZCE=" https://x.test')).toBe(
      'curl -H "Authorization: Basic <auth-header>" https://x.test',
    );
    expect(mask("headers = {'X-Api-Key': '9c1f4e2a7b3d8f6e0a5c2b9d4e7f1a3c'}")).toBe(
      "headers = {'X-Api-Key': '<api-key-header>'}",
    );
    expect(mask('GET /v1?a=1&access_token=Zt9Kq2Wm8Xn3Yb7Vc4Lp1Hd6&b=2')).toBe(
      'GET /v1?a=1&access_token=<url-secret-param>&b=2',
    );
    expect(mask('password=Hk39!mZq2;Server=db;')).toBe('password=<secret-assignment>;Server=db;');
    expect(mask('mongodb+srv://app:Qx7Lm2Pz9Wv4@cluster0.x.mongodb.net/db')).toBe(
      'mongodb+srv://app:<url-credentials>@cluster0.x.mongodb.net/db',
    );
    expect(mask('Cookie: sid=Zq8Wm3Xk7Yt2Bv9Nc4Lp6Rj1; theme=dark')).toBe('Cookie: <cookie-header>');
  });

  it('gives contextual labels', () => {
    expect(findSecrets('const apiKey = "Zt9Kq2Wm8Xn3Yb7Vc4Lp1Hd6Qe5";')[0]).toMatchObject({
      rule: 'secret-assignment',
      label: 'apiKey',
    });
    expect(findSecrets('curl -H "x-api-key: Zt9Kq2Wm8Xn3Yb7Vc4Lp1Hd6Qe5"')[0]).toMatchObject({
      rule: 'api-key-header',
      label: 'x-api-key',
    });
  });

  it('returns sorted, non-overlapping spans', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(...PLANTED.map((e) => e.text), ...BENIGN.map((e) => e.text), ' ', '\n', '&', '='),
          { maxLength: 6 },
        ),
        (parts) => {
          const text = parts.join(' ');
          const findings = findSecrets(text);
          for (let i = 0; i < findings.length; i++) {
            const f = findings[i]!;
            expect(f.start).toBeGreaterThanOrEqual(0);
            expect(f.end).toBeGreaterThan(f.start);
            expect(f.end).toBeLessThanOrEqual(text.length);
            if (i > 0) expect(f.start).toBeGreaterThanOrEqual(findings[i - 1]!.end);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is quiet on random prose and random identifiers', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z ,.]{0,200}$/), (text) => {
        expect(findSecrets(text)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('every rule id is documented once', () => {
    const ids = SECRET_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [
      'openai-key',
      'anthropic-key',
      'aws-access-key-id',
      'aws-secret-key',
      'github-token',
      'slack-token',
      'slack-webhook',
      'google-api-key',
      'stripe-key',
      'kore-api-key',
      'jwt',
      'private-key-pem',
      'url-credentials',
      'url-secret-param',
      'auth-header',
      'cookie-header',
      'api-key-header',
      'secret-assignment',
      'generic-high-entropy',
      'secret-field',
    ]) {
      expect(ids).toContain(id);
    }
    const docs = readFileSync(fileURLToPath(new URL('../../../docs/redaction.md', import.meta.url)), 'utf8');
    for (const id of ids) expect(docs, `docs/redaction.md lists ${id}`).toContain(`\`${id}\``);
  });
});

describe('heuristics', () => {
  it('classifies keys', () => {
    expect(classifyKey('Authorization')).toBe('auth');
    expect(classifyKey('x-api-key')).toBe('api-key-header');
    expect(classifyKey('apiKey')).toBe('secret');
    expect(classifyKey('client_secret')).toBe('secret');
    expect(classifyKey('dbPassword')).toBe('password');
    expect(classifyKey('token')).toBe('weak');
    for (const key of [
      'max_tokens',
      'tokenUrl',
      'passwordHint',
      'secretName',
      'public_key',
      'api_version',
      'keyboard',
      'access_key_id',
      'token_type',
      'authType',
      'description',
    ]) {
      expect(classifyKey(key), key).toBeNull();
    }
  });

  it('recognises placeholders and random values', () => {
    for (const value of [
      '<your-api-key>',
      'xxxxxxxx',
      '****',
      'YOUR_API_KEY_HERE',
      'sk-...',
      'AKIAIOSFODNN7EXAMPLE',
      'changeme-please-example',
    ])
      expect(isPlaceholder(value), value).toBe(true);
    expect(looksRandom('Zt9Kq2Wm8Xn3Yb7Vc4Lp1Hd6')).toBe(true);
    for (const value of [
      'customer-profile-v2',
      'PAYMENTS_SIGNING_KEY_2024',
      '5f0c9a7e-1b2d-4c3e-8f4a-6b7c8d9e0f1a',
      '2024-05-01T12:30:00Z',
      '/var/lib/app/x.pem',
      'https://a.test/x',
    ]) {
      expect(looksRandom(value), value).toBe(false);
    }
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });
});

describe('fingerprints', () => {
  it('are the start of HMAC-SHA-256 of the secret under the key', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 60 }), (secret, key) => {
        expect(fingerprintSecret(secret, key)).toBe(
          createHmac('sha256', key).update(secret).digest('hex').slice(0, 8),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('differ between installations, whose keys are random', () => {
    const [a, b] = [newFingerprintKey(), newFingerprintKey()];
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(fingerprintSecret('hunter2', a)).not.toBe(fingerprintSecret('hunter2', b));
  });

  it('are 8 hex characters, stable, keyed, and never part of the secret', () => {
    const secret = 'sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d';
    const fp = fingerprintSecret(secret);
    expect(fp).toMatch(/^[0-9a-f]{8}$/);
    expect(fingerprintSecret(secret)).toBe(fp);
    expect(fp).toBe(createHmac('sha256', DEFAULT_FINGERPRINT_KEY).update(secret).digest('hex').slice(0, 8));
    expect(fingerprintSecret(secret, 'other-key')).not.toBe(fp);
    expect(secret.includes(fp)).toBe(false);
  });
});

describe('performance sanity', () => {
  it('scans a few MB of ordinary workflow text quickly', () => {
    const chunk = [
      'You are a claims assistant. Read {{context.steps.Start.output.claim}} and decide whether it needs review.',
      'const total = items.reduce((sum, item) => sum + item.amount, 0); // token budget 4096',
      '{"claimId": "{{context.steps.Start.output.id}}", "amount": 120.5, "key": "claim-2024-000123"}',
      'https://api.sandbox-bank.test/v1/claims?limit=50&offset=100&sort=desc',
      'a-5a9d3c1e-0b7f-4e21-9c55-7d2f8a1b3c4d cf-0e1d2c3b-4a59-4687-9a1b-2c3d4e5f6a7b',
    ].join('\n');
    const text = Array.from({ length: 12_000 }, (_, i) => `${chunk} #${i}`).join('\n');
    const started = performance.now();
    const findings = findSecrets(text);
    const elapsed = performance.now() - started;
    // Sanity timing (Node 20, dev laptop): ~5.5 MB in one string, ~1–2 s; the common case of many small
    // strings is far cheaper because triggers skip most rules. Not asserted.
    console.log(`findSecrets: ${(text.length / 1e6).toFixed(1)} MB in ${elapsed.toFixed(0)} ms`);
    expect(findings).toEqual([]);
  }, 60_000);

  it('has no catastrophic backtracking on adversarial input', () => {
    const inputs = [
      'a'.repeat(50_000),
      '-----BEGIN RSA PRIVATE KEY-----' + 'A'.repeat(40_000),
      'password='.repeat(5_000),
      'Authorization: '.repeat(5_000),
      ('token ' + 'x1'.repeat(30) + ' ').repeat(1_000),
      'kg-' + 'a1-'.repeat(10_000),
      '://a:b@'.repeat(5_000),
      '{{'.repeat(20_000),
      '0123456789abcdef'.repeat(3_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      findSecrets(input, { key: 'token' });
      expect(performance.now() - started, input.slice(0, 20)).toBeLessThan(5_000);
    }
  });
});

describe('findSecrets shortcuts (pre-filter, combined needle search, whole references)', () => {
  const corpus = [...PLANTED.map((e) => e.text), ...BENIGN.map((e) => e.text)];
  const keys = [undefined, 'password', 'apiKey', 'Authorization', 'token', 'description', 'value', 'Cookie'];
  const noise = fc.string({ maxLength: 40, unit: fc.constantFrom(...'aZ09 -_.:/="\'`{}$\n\tKkSsuUy') });

  it('never drop a planted secret: embedded in random text, every secret is still found', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...PLANTED.filter((e) => e.place !== 'known-secure')),
        noise,
        noise,
        fc.constantFrom(' ', '\n', '; ', ' | '),
        (entry, before, after, sep) => {
          const text = `${before}${sep}${entry.text}${sep}${after}`;
          expect(findSecrets(text, hintFor(entry) ? { key: hintFor(entry)! } : undefined)).toEqual(
            findSecretsExhaustive(text, hintFor(entry) ? { key: hintFor(entry)! } : undefined),
          );
          // Every line that holds the secret has a candidate (the leak check scans those lines).
          const at = text.indexOf(entry.secret);
          if (at >= 0 && !entry.secret.includes('\n')) {
            const lineStart = text.lastIndexOf('\n', at) + 1;
            const candidate = nextSecretCandidate(text, lineStart);
            const lineEnd = text.indexOf('\n', at);
            if (findSecrets(text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd)).length > 0) {
              expect(candidate).toBeGreaterThanOrEqual(0);
              expect(candidate).toBeLessThan(lineEnd < 0 ? text.length : lineEnd);
            }
          }
        },
      ),
      { numRuns: 600 },
    );
  });

  it('give exactly the findings of the exhaustive scan on corpus strings, mutations and random text', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...corpus), fc.nat(), fc.nat(), noise)
      .map(([text, a, b, insert]) => {
        const i = a % (text.length + 1);
        const j = Math.min(text.length, i + (b % 12));
        return text.slice(0, i) + insert + text.slice(j);
      });
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...corpus), mutated, noise, fc.string({ maxLength: 120 })),
        fc.constantFrom(...keys),
        (text, key) => {
          const hint = key ? { key } : undefined;
          expect(findSecrets(text, hint)).toEqual(findSecretsExhaustive(text, hint));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agree on every corpus string under every key', () => {
    for (const text of corpus) {
      for (const key of keys) {
        const hint = key ? { key } : undefined;
        expect(findSecrets(text, hint)).toEqual(findSecretsExhaustive(text, hint));
      }
    }
  });

  // The operator-and-quote pre-check and validate-first order of `secret-assignment` / `url-secret-param`.
  it('agree with the exhaustive scan on assignments of every shape (operators, spacing, prefixes, quotes)', () => {
    const secrets = [
      ...PLANTED.filter((e) => !e.secret.includes('\n')).map((e) => e.secret),
      'Hk39!mZq2Lw8',
      'xY7pQ2rT9vB4nM6kJ3hG5fD8',
      '{{context.env.API_KEY}}',
      'changeme',
    ];
    const names = ['apiKey', 'password', 'db_pw', 'client_secret', 'token', 'description', 'x', 'AUTH_TOKEN'];
    fc.assert(
      fc.property(
        fc.constantFrom(...names),
        fc.constantFrom('', '"', "'"),
        fc.constantFrom(':', '=', ':=', '=>', ',', '->', '=='),
        fc.nat(6),
        fc.nat(6),
        fc.constantFrom('', 'r', 'b', 'u', 'f', ']'),
        fc.constantFrom('"', "'", '`', ''),
        fc.oneof(fc.constantFrom(...secrets), fc.string({ maxLength: 30 })),
        noise,
        fc.constantFrom(...keys),
        (name, nameQuote, op, before, after, prefix, quote, value, tail, key) => {
          const text =
            `${nameQuote}${name}${nameQuote}${' '.repeat(before)}${op}${' '.repeat(after)}` +
            `${prefix}${quote}${value}${quote}${tail}`;
          const hint = key ? { key } : undefined;
          expect(findSecrets(text, hint)).toEqual(findSecretsExhaustive(text, hint));
          // The same as a line of a serialized package file.
          const line = `      ${JSON.stringify(name)}: ${JSON.stringify(text)},`;
          expect(findSecrets(line)).toEqual(findSecretsExhaustive(line));
        },
      ),
      { numRuns: 2000 },
    );
  });

  // The combined needle search (a prefix tree of every fixed-substring trigger) must see every needle.
  it('agree with the exhaustive scan around every fixed trigger substring, in any surroundings', () => {
    const needles = [
      'PRIVATE KEY',
      'sk-ant-',
      'sk-',
      'AKIA',
      'ASIA',
      'ABIA',
      'ACCA',
      'A3T',
      'ghp_',
      'gho_',
      'ghu_',
      'ghs_',
      'ghr_',
      'github_pat_',
      'glpat-',
      'glptt-',
      'gldt-',
      'glrt-',
      'gloas-',
      'hooks.slack.com',
      'xox',
      'xoxb-',
      'xapp-',
      ':AA',
      'AIza',
      'GOCSPX-',
      'ya29.',
      'sk_live_',
      'sk_test_',
      'rk_live_',
      'rk_test_',
      'whsec_',
      'SG.',
      'SK',
      'key-',
      '-us',
      'npm_',
      'pypi-',
      'pypi-AgE',
      'hf_',
      'AccountKey=',
      'SharedAccessKey=',
      'accountkey=',
      'sharedaccesskey=',
      'Q~',
      'shp',
      'shpat_',
      'do_v1_',
      'dop_v1_',
      'doo_v1_',
      'dor_v1_',
      'secret_',
      'ntn_',
      'lin_api_',
      'ATATT',
      'kg-',
      'eyJ',
    ];
    const tail = fc.string({
      minLength: 0,
      maxLength: 70,
      unit: fc.constantFrom(...'abcdefABCDEF0123456789_-.=~Q'),
    });
    fc.assert(
      fc.property(
        noise,
        fc.constantFrom(...needles),
        tail,
        fc.constantFrom(...keys),
        (before, needle, after, key) => {
          const text = `${before}${needle}${after}`;
          const hint = key ? { key } : undefined;
          expect(findSecrets(text, hint)).toEqual(findSecretsExhaustive(text, hint));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('answer from the memo per kind of key, however many keys it has seen', () => {
    const memo = new SecretScanMemo();
    const values = ['Hk39!mZq2Lw8', 'plain words here', 'xY7pQ2rT9vB4nM6kJ3hG5fD8'];
    for (let i = 0; i < 12_000; i++) {
      const key = i % 3 === 0 ? `password_${i}` : i % 3 === 1 ? `field_${i}` : `session_token_${i % 50}`;
      const value = values[i % values.length]!;
      const expected = findSecrets(value, { key });
      expect(memo.findSecrets(value, key)).toEqual(expected);
      expect(memo.isClean(value, key)).toBe(expected.length === 0);
    }
  });

  it('answer from the memo only what findSecrets itself answered', () => {
    const memo = new SecretScanMemo();
    for (const entry of [...PLANTED, ...BENIGN]) {
      const key = hintFor(entry);
      const expected = findSecrets(entry.text, key ? { key } : undefined);
      expect(memo.findSecrets(entry.text, key)).toEqual(expected);
      expect(memo.findSecrets(entry.text, key)).toEqual(expected);
      expect(memo.isClean(entry.text, key)).toBe(
        entry.text.length < 4 || (expected.length === 0 && entry.text.length >= 8),
      );
    }
  });
});
