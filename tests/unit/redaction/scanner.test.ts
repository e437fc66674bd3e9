import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fingerprintSecret,
  guessingBits,
  MIN_FINGERPRINT_BITS,
  NOT_FINGERPRINTED,
  newFingerprintKey,
  DEFAULT_FINGERPRINT_KEY,
} from '../../../lib/redaction/fingerprint';
import {
  classifyKey,
  findSecrets,
  findSecretsExhaustive,
  isPlaceholder,
  nextSecretCandidate,
  RULES,
  SecretScanMemo,
  looksRandom,
  SECRET_RULES,
  shannonEntropy,
} from '../../../lib/redaction/scanner';

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
      ['Authorization: Bearer $API_KEY', undefined],
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
    expect(mask('Cookie: sid=Zq8Wm3Xk7Yt2Bv9Nc4Lp6Rj1; theme=dark')).toBe(
      'Cookie: sid=<cookie-header>; theme=dark',
    );
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
    expect(findSecrets('curl -X POST --header "Api-Token: Sk94HG7f6KB"')[0]).toMatchObject({
      rule: 'api-key-header',
      label: 'Api-Token',
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

/** The secret spans of `text`, as strings. */
const spans = (text: string, key?: string) =>
  findSecrets(text, key ? { key } : undefined).map((f) => text.slice(f.start, f.end));
/** Each text is left as it is: nothing found in it. */
const expectLeftAlone = (texts: readonly string[]) => {
  for (const text of texts) expect(findSecrets(text), text).toEqual([]);
};

describe('findSecrets: audit fixes', () => {
  // Fake secrets, assembled at run time so no whole fake key sits in the source.
  const hex40 = '9f8e7d6c5b4a3928' + '1706f5e4d3c2b1a0ffeeddcc';
  const rand40 = '0eUAG8xk8xsz8opIxWpe' + '4cCpHJ9ZbD5bn8wwXNsD';
  const openai = 'sk-' + 'proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d';

  it('keeps scanning after more than 10,000 matches of one rule (minified code before the key)', () => {
    const text =
      'var a=1,b=2,c=a+b;'.repeat(4_000) + 'fetch("https://x.test/q?api_key=Zt9Kq2Wm8Xn3Yb7Vc4Lp1Hd6&f=1")';
    expect(text.length).toBeGreaterThan(72_000);
    expect(spans(text)).toEqual(['Zt9Kq2Wm8Xn3Yb7Vc4Lp1Hd6']);
  });

  it('keeps scanning after 10,001 decoys of one rule, and finds every real key among thousands', () => {
    const decoys = 'sk-aaaaaaaaaaaaaaaaaaaaaaaaaa '.repeat(10_001);
    expect(spans(`${decoys}${openai}`)).toEqual([openai]);
    const many = Array.from(
      { length: 12_000 },
      (_, i) => `sk-Zt9Kq2Wm8Xn3Yb7Vc4Lp${String(i).padStart(5, '0')}`,
    );
    const found = findSecrets(many.join(' '));
    expect(found).toHaveLength(12_000);
    expect(found.every((f) => f.rule === 'openai-key')).toBe(true);
  });

  it('does not take the word Bearer for a token when the header is built by concatenation', () => {
    expectLeftAlone([
      'const res = await fetch(url, { headers: { "Authorization": "Bearer " + token } });',
      "const h = { 'Authorization': 'Bearer ' + token };",
      'headers = {"Authorization": "Bearer " + token}',
      'h2 = {"Authorization": "Token " + tok}',
      'const b = { Authorization: "Basic " + btoa(user + ":" + pass) };',
    ]);
    expect(findSecrets('Bearer', { key: 'Authorization' })).toEqual([]);
    expect(findSecrets('Bearer ', { key: 'Authorization' })).toEqual([]);
  });

  it('finds a literal token concatenated to the scheme word (span = the literal only)', () => {
    const token = 'BXC3HczEdpYwvwuxC9GJ' + 'xDArJOFRpwCkJ7czG77p';
    for (const text of [
      `const headers = { 'Authorization': 'Bearer ' + '${token}' };`,
      `headers = {"Authorization": "Bearer " + "${token}"}`,
      `req.setHeader("Authorization", "Bearer "+"${token}");`,
    ]) {
      expect(spans(text), text).toEqual([token]);
    }
    expect(findSecrets(`const x = 'Bearer ' + '${token}';`)[0]).toMatchObject({ rule: 'auth-header' });
    // Not a token: a word, a reference, a placeholder.
    expect(findSecrets("const a = 'Bearer ' + 'token';")).toEqual([]);
    expect(findSecrets("const a = 'Bearer ' + '{{context.env.CRM_TOKEN}}';")).toEqual([]);
    expect(findSecrets("const a = 'Bearer ' + '<your-token-here>';")).toEqual([]);
  });

  it('finds a URL password that holds @ or / whole (userinfo runs to the last @ before the host)', () => {
    expect(spans('postgres://app:p@ss-W0rd-991@db.example.com:5432/x')).toEqual(['p@ss-W0rd-991']);
    expect(spans('redis://:ab/cd1234xyz@cache:6379')).toEqual(['ab/cd1234xyz']);
    expect(spans('dbURL := "postgres://app:p@ssgfrsRQDK@db.internal:5432/core"')).toEqual(['p@ssgfrsRQDK']);
    // The @ of a path after the host is not part of the userinfo.
    expect(spans('https://user:Qx7Lm2Pz9Wv4@host.test/users/@me')).toEqual(['Qx7Lm2Pz9Wv4']);
  });

  it('does not take a port and path for a URL password', () => {
    expectLeftAlone([
      'http://localhost:3000/api/users/@me',
      'https://example.com:8443/profile/@jane',
      'https://maps.example.com:443/@51.5,-0.12,15z',
    ]);
  });

  it('finds a random token used as the user name of a URL, not an ordinary user name', () => {
    expect(spans(`https://${hex40}@github.com/org/repo.git`)).toEqual([hex40]);
    expect(spans(`git clone https://${rand40}@git.internal/x`)).toEqual([rand40]);
    expect(spans('https://ab6928571b1b4690887d0861f49f2616@o123456.ingest.sentry.io/7890')).toEqual([
      'ab6928571b1b4690887d0861f49f2616',
    ]);
    expectLeftAlone([
      'https://git@github.com/org/repo.git',
      'ssh://deploy@host.example.com/srv/app',
      'mailto:someone@example.com',
      'https://customer-profile-service@gitlab.example.com/x',
      'https://5f0c9a7e-1b2d-4c3e-8f4a-6b7c8d9e0f1a@host.test/x',
    ]);
  });

  it('finds passwords in command lines and .netrc lines', () => {
    expect(spans('curl -u admin:Hunter2xQz9 https://api.test/v1/export')).toEqual(['Hunter2xQz9']);
    expect(spans('curl --user admin:Hunter2xQz9 https://api.test/v1/export')).toEqual(['Hunter2xQz9']);
    expect(spans('curl --user=admin:Hunter2xQz9')).toEqual(['Hunter2xQz9']);
    expect(spans('curl -s \\\n  -u "admin:Hunter2xQz9" \\\n  https://api.test')).toEqual(['Hunter2xQz9']);
    // The password quoted on its own, or with no user name before it (gitleaks' curl samples).
    expect(spans("curl --user kevin:'Hunter2xQz9' -iX PATCH https://api.test")).toEqual(['Hunter2xQz9']);
    expect(spans('curl --user "{5f0c9a7e-1b2d}":"{Hunter2xQz9}" https://api.test')).toEqual(['Hunter2xQz9']);
    expect(spans('curl -u ":Hunter2xQz9" https://localhost:9200')).toEqual(['Hunter2xQz9']);
    expect(spans('mysql -h db -u root -pHunter2xQz9 core < dump.sql')).toEqual(['Hunter2xQz9']);
    expect(spans('mysqldump -uroot -pHunter2xQz9 core')).toEqual(['Hunter2xQz9']);
    expect(spans('machine api.example.com login bob password Hunter2xQz9')).toEqual(['Hunter2xQz9']);
    expect(spans('machine api.example.com\n  login bob\n  password Hunter2xQz9\n')).toEqual(['Hunter2xQz9']);
    expect(spans("sshpass -p 'Hunter2xQz9' ssh deploy@host")).toEqual(['Hunter2xQz9']);
    expect(spans('sshpass -p Hunter2xQz9 scp a deploy@host:b')).toEqual(['Hunter2xQz9']);
  });

  it('finds the password in the variables tools read it from, written as one word', () => {
    expect(spans('PGPASSWORD=Hunter2xQz9 psql -h db -U app')).toEqual(['Hunter2xQz9']);
    expect(spans('export PGPASSWORD="Hunter2xQz9"')).toEqual(['Hunter2xQz9']);
    expect(spans('SSHPASS=Hunter2xQz9 sshpass -e ssh deploy@host')).toEqual(['Hunter2xQz9']);
  });

  it('does not flag command lines without a literal password', () => {
    expectLeftAlone([
      'curl -u $USER:$PASS https://api.test',
      'curl -u "${USER}:${PASS}" https://api.test',
      'curl -u admin: https://api.test',
      "curl -u admin:'$PASS' https://api.test",
      'curl -u "admin":"{{context.env.PASS}}" https://api.test',
      'mysql -u root -p {{context.env.DB_PASSWORD}} core',
      'mysql -u root -p',
      'mysql -h db -u root -p core < dump.sql',
      'docker run -p 8080:80 -u 1000:1000 app',
      'ssh -p 8080 host',
      'mkdir -p /var/lib/app && mysql --version',
      'machine api.example.com login bob password $NETRC_PASSWORD',
      'sshpass -p "$SSHPASS" ssh deploy@host',
      'sshpass -e ssh -o StrictHostKeyChecking=no deploy@10.0.0.1',
      'sshpass -f ~/.ssh/pw ssh host',
      'apt-get install -y sshpass openssh-client',
      'PGPASSWORD=${DB_PASSWORD} psql',
      'echo $PGPASSWORD',
    ]);
  });

  it('finds a password given to credentials calls and Base64 encoders in code', () => {
    expect(spans("requests.get(url, auth=('svc', 'Hunter2xQz9'))")).toEqual(['Hunter2xQz9']);
    expect(spans('auth = HTTPBasicAuth("svc", "Hunter2xQz9")')).toEqual(['Hunter2xQz9']);
    expect(spans('var c = new NetworkCredential("svc", "Hunter2xQz9");')).toEqual(['Hunter2xQz9']);
    expect(spans("const auth = btoa('svc:Hunter2xQz9');")).toEqual(['Hunter2xQz9']);
    expect(spans("Buffer.from('svc:Hunter2xQz9').toString('base64')")).toEqual(['Hunter2xQz9']);
    expect(spans("base64.b64encode(b'svc:Hunter2xQz9')")).toEqual(['Hunter2xQz9']);
    expect(spans('Convert.ToBase64String(Encoding.UTF8.GetBytes("svc:Hunter2xQz9"))')).toEqual([
      'Hunter2xQz9',
    ]);
    expectLeftAlone([
      'btoa(`${user}:${pass}`)',
      "HTTPBasicAuth('svc', os.environ['PW'])",
      "auth=('svc', password)",
      "btoa('hello:world')",
      "HTTPBasicAuth('user', 'password')",
      "Buffer.from('key:value').toString('base64')",
    ]);
  });

  it('finds an access code in a query string, not an ordinary code', () => {
    const key = 'q8Zr2LmX9vTb4NcW7yHpAbC1dE2fG3hI4j==';
    expect(spans(`https://fn.azurewebsites.net/api/run?code=${key}`)).toEqual([key]);
    expect(spans(`https://app.test/callback?state=x1&code=4%2F0AfJohXkLmN8pQrS2tUvWxYz1234abcd`)).toEqual([
      '4%2F0AfJohXkLmN8pQrS2tUvWxYz1234abcd',
    ]);
    expectLeftAlone([
      'https://shop.example.com/?code=SUMMER24',
      'https://x.test/?code=customer_onboarding_flow_v2',
      'https://x.test/countries?code=FR&lang=fr',
    ]);
  });

  it('finds a Microsoft Teams incoming webhook URL whole, like a Slack webhook', () => {
    const url =
      'https://contoso.webhook.office.com/webhookb2/3f2b8c1e-9d4a-4f6b-8e2c-7a1d5b9c0e3f@3f2b8c1e-9d4a-4f6b-8e2c-7a1d5b9c0e3f/IncomingWebhook/9f8e7d6c5b4a39281706f5e4d3c2b1a0/3f2b8c1e-9d4a-4f6b-8e2c-7a1d5b9c0e3f';
    const text = `await fetch("${url}", { method: "POST" });`;
    expect(spans(text)).toEqual([url]);
    expect(findSecrets(text)[0]!.rule).toBe('teams-webhook');
    expect(findSecrets('See https://contoso.webhook.office.com/ for setup.')).toEqual([]);
  });

  it('finds values of JSON nested in a JSON string (escaped quotes), without the backslashes', () => {
    expect(spans('{"nested":"{\\"password\\":\\"Hx9!kQ2#vL\\"}"}')).toEqual(['Hx9!kQ2#vL']);
    expect(
      spans('{"query":"mutation { login(user: \\"bob\\", password: \\"Hx9!kQ2#vL\\") { token } }"}'),
    ).toEqual(['Hx9!kQ2#vL']);
    expect(
      spans('{"a":"{\\"client_secret\\":\\"oSn9qpK2rztUxLjOMw20GdtW\\",\\"name\\":\\"bob\\"}"}'),
    ).toEqual(['oSn9qpK2rztUxLjOMw20GdtW']);
    // Doubly escaped (JSON in a string in a string).
    expect(spans('{\\\\\\"password\\\\\\":\\\\\\"Hx9!kQ2#vL\\\\\\"}')).toEqual(['Hx9!kQ2#vL']);
    expectLeftAlone([
      '{"nested":"{\\"password\\":\\"{{context.env.DB_PASSWORD}}\\"}"}',
      '{"nested":"{\\"passwordHint\\":\\"Ask the team lead\\"}"}',
      '{"nested":"{\\"user\\":\\"bob\\",\\"name\\":\\"Hx9!kQ2#vL\\"}"}',
    ]);
  });

  it('treats 6 or more digits under a password key as a secret, fewer as a number', () => {
    expect(spans('493817', 'password')).toEqual(['493817']);
    expect(spans('493817', 'password2')).toEqual(['493817']);
    expect(spans('{"password": "493817"}')).toEqual(['493817']);
    expect(spans('password = "49381722"')).toEqual(['49381722']);
    expect(spans('password: 493817')).toEqual(['493817']);
    expect(findSecrets('4938', { key: 'password' })).toEqual([]);
    expect(findSecrets('49381', { key: 'password' })).toEqual([]);
    expect(findSecrets('{"password": "5432"}')).toEqual([]);
    expect(findSecrets('12.5', { key: 'password' })).toEqual([]);
  });

  it('does not take an ARN for a secret', () => {
    for (const [text, key] of [
      ['secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf"', undefined],
      [
        '{"secret_arn":"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/payments/db-credentials-Xy9Zk2"}',
        undefined,
      ],
      ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf', 'secretArn'],
      ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf', 'secret'],
      ['arn:aws:kms:eu-west-1:123456789012:key/5f0c9a7e-1b2d-4c3e-8f4a-6b7c8d9e0f1a', 'kmsKey'],
      [
        'The secret lives at arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/payments/Q8zRt3vW9xY2bN5mK7',
        undefined,
      ],
    ] as const) {
      expect(findSecrets(text, key ? { key } : undefined), text).toEqual([]);
    }
  });

  it('marks only the secret-looking values of a Cookie header', () => {
    const session = '9f8e7d6c5b4a39281706' + 'f5e4d3c2b1a0';
    expect(spans(`session=${session}; theme=dark; lang=en`, 'Cookie')).toEqual([session]);
    expect(mask(`Cookie: session=${session}; theme=dark; lang=en`)).toBe(
      'Cookie: session=<cookie-header>; theme=dark; lang=en',
    );
    expect(mask(`curl -H "Cookie: theme=dark; sid=Zq8Wm3Xk7Yt2Bv9Nc4Lp6Rj1; lang=en" https://x.test`)).toBe(
      'curl -H "Cookie: theme=dark; sid=<cookie-header>; lang=en" https://x.test',
    );
    expect(spans('sessionid=sKoocvyQItFdOk4ggXaegWlK; csrftoken=MloyH269mMcb0l8LBs1pAOyg', 'Cookie')).toEqual(
      ['sKoocvyQItFdOk4ggXaegWlK', 'MloyH269mMcb0l8LBs1pAOyg'],
    );
    expect(
      spans(`session=${session}; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly`, 'Set-Cookie'),
    ).toEqual([session]);
    expect(findSecrets(`session=${session}; theme=dark`, { key: 'Cookie' })[0]).toMatchObject({
      rule: 'cookie-header',
    });
    expect(findSecrets('theme=dark; lang=en', { key: 'Cookie' })).toEqual([]);
    expect(findSecrets('Cookie: theme=dark; lang=en')).toEqual([]);
  });

  it('finds a random token later in the same sentence as a keyword, not ordinary prose', () => {
    expect(spans('The secret for webhook verification is: q8ZrT3vW9xY2bN5mK7pL4sD6')).toEqual([
      'q8ZrT3vW9xY2bN5mK7pL4sD6',
    ]);
    expect(spans('Token (prod, rotate monthly) \u2192 Zq8r2LmP0xV7tK4nB1xYw9AeC3dE5')).toEqual([
      'Zq8r2LmP0xV7tK4nB1xYw9AeC3dE5',
    ]);
    expectLeftAlone([
      'the token is refreshed every hour',
      'password must be at least 12 characters',
      'The token refresh bug was fixed in commit 9fceb02d0ae598e95dc970b74767f19372d61af8 last week.',
      'The API key is stored in the vault. Request id 7Fq2ZxK9mP4wR8tY3vN6bJ1c was logged.',
      'const token = await getToken(ctx); const id = "q8ZrT3vW9xY2bN5mK7pL4sD6";',
      'Rotate the secret every 90 days and keep the audit trail for customer-profile-service-v2.',
    ]);
  });
});

describe('a URL percent-encoded whole', () => {
  const hook = 'https://maker.ifttt.com/trigger/order_paid/with/key/522uKkUTAVQfwfssbAX4d6';

  it('is read decoded: one holding a secret is replaced whole, wherever it sits', () => {
    const encoded = encodeURIComponent(`https://api.example.com/v1/items?api_key=${hook}`);
    for (const text of [
      encoded,
      `// setup\nfetch("${encoded}")\nreturn 1;`,
      `redirect=${encodeURIComponent(hook)}&page=2`,
      encodeURIComponent(`postgres://app:Xq7-f9dKm2pL0wZr@db.internal:5432/orders`),
    ]) {
      const found = findSecrets(text);
      expect(found, text).toHaveLength(1);
      const secret = text.slice(found[0]!.start, found[0]!.end);
      // The span holds the whole secret, and nothing of it is left on either side.
      expect(decodeURIComponent(secret), text).toMatch(/522uKkUTAVQfwfssbAX4d6|Xq7-f9dKm2pL0wZr/);
      const rest = text.slice(0, found[0]!.start) + text.slice(found[0]!.end);
      expect(rest, text).not.toMatch(/522uKk|Xq7-f9/);
    }
  });

  it('leaves an encoded URL that holds no secret, and a broken escape, as they are', () => {
    expectLeftAlone([
      encodeURIComponent('https://api.example.com/callback?page=2&sort=desc'),
      `next=${encodeURIComponent('https://example.com/docs/webhooks/key/<your-key>')}`,
      'https%3A%2F%2Fapi.example.com%2F%E0%A4%A',
    ]);
  });
});

describe('a query parameter value percent-encoded', () => {
  const password = 'Pa55w0rd-Xy7q';
  const encodedPassword = btoa(`${password}-longer-still`);
  /** A snippet, and the secret in it. */
  const snippets: Array<[string, string]> = [
    [`curl -u kevin:'${password}' https://api.example.com/v1/claims`, password],
    [`apiVersion: v1\nkind: Secret\ndata:\n  db-pass: ${encodedPassword}\n`, encodedPassword],
    [`$config = ['password' => '${password}'];`, password],
    [`<add key="ClearTextPassword" value="${password}" />`, password],
  ];

  it('is read decoded (as a URL component and as a form value): only the secret in it is replaced', () => {
    for (const [snippet, secret] of snippets) {
      for (const value of [encodeURIComponent(snippet), encodeURIComponent(snippet).replaceAll('%20', '+')]) {
        const text = `https://crm.example.com/customers?page=2&data=${value}&sort=desc`;
        const found = findSecrets(text);
        expect(found, text).toHaveLength(1);
        const { start, end } = found[0]!;
        // The span is the secret's own escaped text: what was around it in the snippet stays, readable.
        expect(decodeURIComponent(text.slice(start, end)), text).toContain(secret);
        const rest = decodeURIComponent(`${text.slice(0, start)}${text.slice(end)}`.replaceAll('+', ' '));
        expect(rest).not.toContain(secret.slice(-8));
        expect(rest).toContain('?page=2&data=');
        expect(rest).toContain('&sort=desc');
        expect(rest).toContain(snippet.slice(0, 8));
      }
    }
  });

  it('keeps what was encoded around a token: a scheme word, the rest of the value', () => {
    const token = 'sk-proj-Ab3dEf5hIj7lMn9pQr1tUv3xYz5bCd7fGh9jKl1nOp3rSt5vWx7z';
    for (const text of [
      `https://api.example.com/x?data=Bearer%20${token}&a=1`,
      `https://api.example.com/x?q=${encodeURIComponent(`use "${token}" here`)}`,
      encodeURIComponent(`https://api.example.com/v1?auth=${token}&page=2`),
      // Characters of several bytes before and after it: the span still starts and ends at the token.
      `https://api.example.com/x?q=${encodeURIComponent(`café “${token}” 𝄞 done`)}`,
    ]) {
      const found = findSecrets(text);
      expect(
        found.map((f) => decodeURIComponent(text.slice(f.start, f.end))),
        text,
      ).toEqual([token]);
    }
  });

  it('replaces a token after a percent escape from its first character: the escape stays whole', () => {
    const token = 'ghp_1A2b3C4d5E6f7G8h9I0jK1lM2nO3pQ4rS5tU';
    for (const text of [`note: token%20%3D%20%22${token}%22 end`, `the token is %22${token}%22 ok`]) {
      const found = findSecrets(text);
      expect(
        found.map((f) => text.slice(f.start, f.end)),
        text,
      ).toEqual([token]);
    }
  });

  it('leaves an encoded value that holds no secret as it is', () => {
    expectLeftAlone([
      'https://app.example.com/search?q=hello%20world%20and%20more&lang=en',
      `https://login.example.com/authorize?redirect_uri=${encodeURIComponent('https://app.example.com/cb')}`,
      `https://crm.example.com/customers?filter=${encodeURIComponent('status = "open" and owner = me')}`,
      'https://crm.example.com/customers?q=curl+-u+%3Cuser%3E%3A%3Cpassword%3E',
      'discount=50%25&code=SPRING',
    ]);
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
    expect(classifyKey('password2')).toBe('password');
    expect(classifyKey('client_secret1')).toBe('secret');
    // A Page access token is a credential, though its name holds a pagination word.
    expect(classifyKey('page_access_token')).toBe('secret');
    expect(classifyKey('PAGE_ACCESS_TOKEN')).toBe('secret');
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
      'secretArn',
      'pass1',
      'nextPageToken',
      'page_token',
      'NextToken',
      'continuationToken',
      'cursor_token',
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
  const hmac16 = (secret: string, key: string) =>
    createHmac('sha256', key).update(secret).digest('hex').slice(0, 16);

  it('are the start of HMAC-SHA-256 of the secret under the key, for a secret hard to guess', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 60 }), (secret, key) => {
        expect(fingerprintSecret(secret, key)).toBe(
          guessingBits(secret) >= MIN_FINGERPRINT_BITS ? hmac16(secret, key) : NOT_FINGERPRINTED,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('are never made of a value a guesser could enumerate (short passwords, PINs, words)', () => {
    for (const weak of ['hunter2', '123456', '00000000', 'changeme123', 'Password1!', 'correcthorse'])
      expect(fingerprintSecret(weak), weak).toBe(NOT_FINGERPRINTED);
  });

  it('differ between installations, whose keys are random', () => {
    const [a, b] = [newFingerprintKey(), newFingerprintKey()];
    const secret = 'sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d';
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(fingerprintSecret(secret, a)).not.toBe(fingerprintSecret(secret, b));
  });

  it('are 16 hex characters, stable, keyed, and never part of the secret', () => {
    const secret = 'sk-proj-Ab3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3zA5bC7d';
    const fp = fingerprintSecret(secret);
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprintSecret(secret)).toBe(fp);
    expect(fp).toBe(hmac16(secret, DEFAULT_FINGERPRINT_KEY));
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
      // The rules added for the audit: command lines, .netrc, escaped JSON, concatenation, URLs, prose.
      'curl ' + '\\\n'.repeat(20_000),
      'mysql '.repeat(10_000),
      'machine h login a '.repeat(5_000),
      '\\"password\\":'.repeat(5_000),
      "'Bearer ' + '".repeat(5_000),
      'postgres://u:' + 'a'.repeat(50_000),
      ('xy://a:' + 'b@'.repeat(250)).repeat(100),
      'token '.repeat(20_000),
      ('secret ' + 'word '.repeat(30)).repeat(500),
      'Cookie: ' + 'a=b;'.repeat(20_000),
    ];
    for (const input of inputs) {
      const started = performance.now();
      findSecrets(input, { key: 'token' });
      expect(performance.now() - started, input.slice(0, 20)).toBeLessThan(5_000);
    }
  });
});

describe('canStartAt: the positions a rule rules out', () => {
  const positional = RULES.filter((rule) => rule.canStartAt !== undefined);
  // Names, keywords, the characters the lookbehinds look at, percent escapes.
  const text = fc
    .array(
      fc.constantFrom(
        'password',
        'api_key',
        'Token',
        'secret',
        'pwd',
        'auth',
        '%3D',
        '%2F',
        '%',
        '--',
        '<',
        '$',
        '.',
        '_',
        '-',
        '+',
        '/',
        '=',
        ':',
        ' ',
        '"',
        'x',
        '9',
        'A',
        'aB3dE5fG7hJ9kL1mN3pQ5rS7t',
      ),
      { maxLength: 24 },
    )
    .map((parts) => parts.join(''));

  it("are only those where the rule's regex cannot match", () => {
    expect(positional.length).toBeGreaterThanOrEqual(2);
    fc.assert(
      fc.property(text, (sample) => {
        for (const rule of positional) {
          const sticky = new RegExp(rule.regex.source, `${rule.regex.flags.replace('g', '')}y`);
          for (let at = 0; at <= sample.length; at++) {
            if (rule.canStartAt!(sample, at)) continue;
            sticky.lastIndex = at;
            expect(sticky.test(sample)).toBe(false);
          }
        }
      }),
      { numRuns: 3000 },
    );
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
      expect(memo.findSecrets(value, key)).toEqual(expected);
    }
  });

  it('answer from the memo only what findSecrets itself answered', () => {
    const memo = new SecretScanMemo();
    for (const entry of [...PLANTED, ...BENIGN]) {
      const key = hintFor(entry);
      const expected = findSecrets(entry.text, key ? { key } : undefined);
      expect(memo.findSecrets(entry.text, key)).toEqual(expected);
      expect(memo.findSecrets(entry.text, key)).toEqual(expected);
    }
  });

  it('answer a long text (scanned, not remembered) as findSecrets does, clean or not', () => {
    const memo = new SecretScanMemo();
    const long = `Summarise the claim in plain words for the adjuster. ${'Keep it short. '.repeat(10)}`;
    expect(memo.findSecrets(long, 'prompt')).toEqual([]);
    const secret = `${long} token=ghp_${'a1B2c3D4e5'.repeat(3)}123456`;
    expect(memo.findSecrets(secret, 'prompt')).toEqual(findSecrets(secret, { key: 'prompt' }));
    expect(memo.findSecrets(secret, 'prompt').length).toBeGreaterThan(0);
  });
});
