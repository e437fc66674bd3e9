/**
 * Secrets whose name is not their key: the option before them on a command line (`["--api-key", "…"]`), the
 * first item of a `[name, value]` tuple, the `key`/`label` of a `{key, val}` or `{label, default}` pair, and
 * secrets written as numbers. The redactor replaces them, `porter scan` reports them, and the final check lets
 * the redacted package through, and a shown package (inspect, diff) hides them; neighbours that name nothing secret are left as they are.
 */
import { describe, expect, it } from 'vitest';
import type { PackageContent } from '../../../lib/package/schemas';
import { createConcealer } from '../../../lib/redaction/conceal';
import { redactPackage } from '../../../lib/redaction/redactor';
import { scanJson, scanPackageContent } from '../../../lib/redaction/scan';
import { bankingContent } from '../banking-package';

type Json = Record<string, unknown>;

const FUNCTION_CONFIG = { language: 'javascript', code: 'return run(config.args);' };

/** The banking package with one more node, a function with `config` in its config, and where to find it after redaction. */
function withNodeConfig(config: Json): {
  content: PackageContent;
  configOf: (content: PackageContent) => Json;
} {
  const content = bankingContent();
  const index = content.flow.nodes.length;
  (content.flow.nodes as Json[]).push({
    id: 'n-cli-x',
    name: 'Sync CLI',
    type: 'function',
    position: { x: 0, y: 0 },
    config: { ...FUNCTION_CONFIG, ...config },
    connections: { onSuccess: [], onFailure: [] },
  });
  return { content, configOf: (redacted) => (redacted.flow.nodes as Json[])[index]!.config as Json };
}

const API_KEY = 'f3K9qLm2Xv8TzR1wPq7N';
const PASSWORD = 'hunter2-Staging!';

const SECRETS: Array<{
  shape: string;
  config: Json;
  path: string;
  secret: string;
  at: (config: Json) => unknown;
}> = [
  {
    shape: 'a long option and its value',
    config: { args: ['sync', '--api-key', API_KEY, '--verbose'] },
    path: 'args[2]',
    secret: API_KEY,
    at: (config) => (config.args as unknown[])[2],
  },
  {
    shape: 'a single-dash long option',
    config: { args: ['-password', PASSWORD] },
    path: 'args[1]',
    secret: PASSWORD,
    at: (config) => (config.args as unknown[])[1],
  },
  {
    shape: "mysql's -p",
    config: { args: ['mysql', '-u', 'claims', '-p', PASSWORD] },
    path: 'args[4]',
    secret: PASSWORD,
    at: (config) => (config.args as unknown[])[4],
  },
  {
    shape: 'a header tuple',
    config: {
      headers: [
        ['X-Api-Key', API_KEY],
        ['Accept', 'application/json'],
      ],
    },
    path: 'headers[0][1]',
    secret: API_KEY,
    at: (config) => (config.headers as unknown[][])[0]![1],
  },
  {
    shape: 'a {key, val} pair',
    config: { params: [{ key: 'apiKey', val: API_KEY }] },
    path: 'params[0].val',
    secret: API_KEY,
    at: (config) => (config.params as Json[])[0]!.val,
  },
  {
    shape: 'a {label, default} field',
    config: { form: [{ label: 'Password', default: PASSWORD }] },
    path: 'form[0].default',
    secret: PASSWORD,
    at: (config) => (config.form as Json[])[0]!.default,
  },
  {
    shape: 'a numeric password',
    config: { database: { host: 'db.internal', port: 5432, password: 48291373 } },
    path: 'database.password',
    secret: '48291373',
    at: (config) => (config.database as Json).password,
  },
];

const NOT_SECRETS: Array<{ shape: string; config: Json }> = [
  { shape: 'a flag and a boolean', config: { args: ['--verbose', 'true'] } },
  { shape: 'a port option', config: { args: ['--port', '8080', '--timeout', '30000'] } },
  {
    shape: "ssh's and docker's -p (a port)",
    config: { args: ['-p', '2222', 'run', '-p', '127.0.0.1:8080:80/tcp'] },
  },
  { shape: 'a neutral header tuple', config: { headers: [['Accept', 'application/json']] } },
  {
    shape: 'a neutral {key, val} pair',
    config: { params: [{ key: 'region', val: 'eu-west-1-prod-claims' }] },
  },
  {
    shape: 'numbers under neutral names',
    config: {
      port: 8080,
      maxTokens: 409600,
      passwordMinLength: 12,
      passwordRotationDays: 365000,
      retries: 3,
    },
  },
];

describe('secrets named by a neighbour', () => {
  for (const { shape, config, path, secret, at } of SECRETS) {
    it(`finds ${shape}: porter scan reports it, the redactor replaces it, the final check passes`, async () => {
      expect(scanJson(config, 'config.json').map((finding) => finding.path)).toEqual([path]);

      const { content, configOf } = withNodeConfig(structuredClone(config));
      const result = await redactPackage(content, { files: true });
      const redacted = configOf(result.content);
      expect(at(redacted)).toMatch(/^\{\{context\.env\.PORTER_SYNC_CLI_[A-Z0-9_]+\}\}$/);
      for (const file of result.files) expect(new TextDecoder().decode(file.data)).not.toContain(secret);
      expect(scanPackageContent(result.content)).toEqual([]);
      expect(JSON.stringify(createConcealer().deep(config))).not.toContain(secret);
    });
  }

  for (const { shape, config } of NOT_SECRETS) {
    it(`leaves ${shape} alone`, async () => {
      expect(scanJson(config, 'config.json')).toEqual([]);

      const { content, configOf } = withNodeConfig(structuredClone(config));
      const result = await redactPackage(content);
      expect(configOf(result.content)).toEqual({ ...FUNCTION_CONFIG, ...config });
      expect(createConcealer().deep(config)).toEqual(config);
    });
  }
});
