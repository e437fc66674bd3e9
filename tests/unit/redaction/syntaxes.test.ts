import { describe, expect, it } from 'vitest';
import { findSecrets } from '../../../lib/redaction/scanner';
import { SECRET_NAMES, SYNTAXES } from './syntaxes';

const SECRET = 'Zq8vN2kLw9XrT4pQ7sYb3mHc';

/** `text` with every finding replaced by ■. */
function redacted(text: string): string {
  let out = '';
  let cursor = 0;
  for (const finding of findSecrets(text)) {
    out += `${text.slice(cursor, finding.start)}■`;
    cursor = finding.end;
  }
  return out + text.slice(cursor);
}

describe('generic assignments in every syntax', () => {
  describe.each(Object.entries(SYNTAXES))('%s', (_label, syntax) => {
    it.each(SECRET_NAMES)('finds the value under %s, whole', (name) => {
      const out = redacted(syntax(name, SECRET));
      expect(out).not.toContain(SECRET.slice(0, 8));
      expect(out).not.toContain(SECRET.slice(-8));
      expect(out).not.toContain('%2B%2F'); // an encoded tail goes with the token
    });
    it('leaves an ordinary value under a secret name alone when nothing says it is one', () => {
      // A placeholder: the syntax alone never makes a value secret.
      expect(findSecrets(syntax('api_key', 'YOUR_API_KEY_HERE'))).toEqual([]);
    });
  });

  it('leaves ordinary identifiers, calls and prose alone', () => {
    for (const text of [
      'password = getpass.getpass("Password: ")',
      'const token = await getToken(client);',
      'auth: required',
      'Authorization, authentication and auditing are handled by the gateway.',
      'If the user asks for their password, tell them to reset it.',
      'tool --api-key $API_KEY',
      'secret_name = "prod-db-credentials"',
      'token_type: bearer',
      'const secretArn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf";',
      'passwordPolicy: { minLength: 12 }',
    ])
      expect(findSecrets(text), text).toEqual([]);
  });

  it('finds a token-shaped value under a neutral header name, not an id', () => {
    expect(findSecrets(SECRET + SECRET, { key: 'X-Partner' })).toHaveLength(1);
    expect(findSecrets('4bf92f3577b34da6a3ce929d0e0e4736', { key: 'X-Trace-Id' })).toEqual([]);
    expect(findSecrets('dark', { key: 'X-Theme' })).toEqual([]);
    // Generated tokens whose letters run long, or that start like a placeholder word, are tokens all the same.
    for (const token of [
      'MWRxpL68QziGemg8694WWDFiy',
      'MYvTQu67Qzw1A8Eq35y5J21AZ',
      'myX4iC10Qz7hJeFqpaBGofsV4X8L5ufZ',
      'Qm7vK2xR9tLp4WbZ', // 16 characters: a client secret's length
    ])
      expect(findSecrets(token, { key: 'X-Partner' }), token).toHaveLength(1);
    // Identifiers and placeholders under the same name are left alone.
    for (const value of [
      'customerProfileServiceV2',
      'my_partner_api_key_here',
      'yourPartnerToken',
      'mobile-app-ios-2024-build',
      'PartnerPortal2024',
    ])
      expect(findSecrets(value, { key: 'X-Partner' }), value).toEqual([]);
  });

  it('replaces a token whole: a .xxx tail and an encoded %2B… tail go with it', () => {
    const token = `glpat-${'Ab3dEf5gHi7jKl9mNo1p'}.01.abcdefghi`;
    expect(redacted(`token: ${token}`)).toBe('token: ■');
    const encoded = `https://x.test/?q=ghp_${'Ab3dEf5gHi7jKl9mNo1pQr3sTu5vWx7yZa9b'}%2Bmore`;
    expect(redacted(encoded)).toBe('https://x.test/?q=■');
  });
});
