/**
 * The package commands on local files (no platform): what `validate` refuses, how `pack` reads its input and
 * where `-o` writes, `--json` on failures, the CLI's own wording, and masking in `inspect`.
 */
import { zipSync } from 'fflate';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRuns, looksLikeStackTrace, porter, tempDir } from './helpers.ts';

const FIXTURE = new URL('../../fixtures/packages/banking-assistant/', import.meta.url);
const GITHUB_TOKEN = ['ghp', '_shRQNG3dhi4wVnX558', 'GkvxThvA0EhexWQ3cz'].join('');

let dir: { path: string; remove(): Promise<void> };
let cwd: string;
const env = { PORTER_FINGERPRINT_KEY: 'packages-test-key' };
let app: Record<string, unknown>;
let flow: Record<string, unknown>;
let envFile: { schemaVersion: string; variables: Record<string, unknown>[] };

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const zip = (parts: { app?: unknown; flow?: unknown; env?: unknown } = {}) =>
  zipSync({
    'app_definition.json': encode(parts.app ?? app),
    'flow_definition.json': encode(parts.flow ?? flow),
    'env_variables.json': encode(parts.env ?? envFile),
  });

function rawRecord(overrides: Record<string, unknown> = {}) {
  return {
    workflow: {
      id: 'a-1',
      name: 'Banking Assistant',
      description: '',
      apiKeys: [{ name: 'prod', key: 'k' }],
    },
    version: { id: 'cf-1', name: 'v2 loan intents' },
    app,
    flow,
    env: envFile,
    ...overrides,
  };
}

beforeAll(async () => {
  dir = await tempDir('porter-packages-');
  cwd = dir.path;
  const read = async (name: string) => JSON.parse(await readFile(new URL(name, FIXTURE), 'utf8')) as never;
  app = await read('app_definition.json');
  flow = await read('flow_definition.json');
  envFile = await read('env_variables.json');
  await writeFile(join(cwd, 'good.zip'), zip());
  await writeFile(join(cwd, 'raw.json'), JSON.stringify(rawRecord()));
});

afterAll(async () => {
  await dir?.remove();
});

describe('porter validate: what a package must never contain', () => {
  it('refuses a secure variable with a value, the push access token and workflow API keys, listing each', async () => {
    const leaky = zip({
      app: {
        ...app,
        workflow: { ...(app.workflow as object), apiKeys: [{ key: 'k' }], sharing: [{ email: 'a@b.c' }] },
        execution: {
          async: { enabled: true, push: { callbackUrl: 'https://h.example', accessToken: 'abc' } },
        },
      },
      env: {
        ...envFile,
        variables: [...envFile.variables, { name: 'FOO', value: 'plainvalue1', secure: true, notes: '' }],
      },
    });
    await writeFile(join(cwd, 'leaky.zip'), leaky);
    const result = await porter(['validate', 'leaky.zip'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n')).toEqual([
      "app_definition.json: workflow.apiKeys: holds the workflow's API keys; a package must never contain them",
      "app_definition.json: workflow.sharing: holds the workflow's sharing (who has access); a package must never contain them",
      'app_definition.json: execution.async.push.accessToken: holds the async push access token; a package must never contain it',
      'env_variables.json: variables[2].value: secure variable FOO carries a value; secure values must travel empty',
    ]);
    expect(result.stderr).toBe('porter: "leaky.zip" is not a valid package (4 problems)\n');
    expect(result.stdout + result.stderr).not.toContain('plainvalue1');

    const json = await porter(['validate', 'leaky.zip', '--json'], { cwd, env });
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { valid: boolean; code: string; problems: unknown[] };
    expect(parsed.valid).toBe(false);
    expect(parsed.code).toBe('FORBIDDEN_CONTENT');
    expect(parsed.problems).toHaveLength(4);
  });

  it('lists them together with the other problems of an invalid package', async () => {
    await writeFile(
      join(cwd, 'both.zip'),
      zip({
        app: { ...app, workflow: { name: '' } },
        env: { ...envFile, variables: [{ name: 'FOO', value: 'v', secure: true, notes: '' }] },
      }),
    );
    const result = await porter(['validate', 'both.zip'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^app_definition\.json: workflow\.name: /m);
    expect(result.stdout).toMatch(
      /^env_variables\.json: variables\[0\]\.value: secure variable FOO carries a value/m,
    );
  });

  it('still passes a clean package', async () => {
    const result = await porter(['validate', 'good.zip'], { cwd, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('good.zip: valid package\n');
  });
});

describe('porter pack: its input', () => {
  it('says a zip is a package, not a raw version record, without printing its bytes', async () => {
    const result = await porter(['pack', 'good.zip'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'porter: "good.zip" is a package, not a raw version record; use "porter inspect" or "porter validate" on it\n',
    );
  });

  it('reports invalid JSON by line and column', async () => {
    await writeFile(join(cwd, 'bad.json'), '{\n  "workflow": {"id": "a",}\n}\n');
    const result = await porter(['pack', 'bad.json'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'porter: "bad.json" is not valid JSON: line 2, column 26: trailing comma before "}"\n',
    );
  });

  it('says a record of a newer schema major is not supported (not "does not match the expected format")', async () => {
    await writeFile(
      join(cwd, 'newer.json'),
      JSON.stringify(rawRecord({ app: { ...app, schemaVersion: '2.0' } })),
    );
    const result = await porter(['pack', 'newer.json'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'porter: "newer.json" was made by a newer version of the platform (app_definition.json schema 2.0); this version of AFP Porter reads schema 1.x. Update AFP Porter to pack it.\n',
    );
    expect(result.stderr).not.toMatch(/expected format/);
  });

  it('says "not a valid raw version record" for a record of the wrong shape', async () => {
    await writeFile(join(cwd, 'shape.json'), JSON.stringify({ workflow: { id: 'a-1' } }));
    const result = await porter(['pack', 'shape.json'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^porter: "shape\.json" is not a valid raw version record \(\d+ problems\); nothing was written\n$/,
    );
    expect(result.stdout).toMatch(/workflow\.name/);
  });
});

describe('porter pack -o', () => {
  it('writes "<Workflow Name>.zip" inside an existing folder', async () => {
    await mkdir(join(cwd, 'existing'), { recursive: true });
    const result = await porter(['pack', 'raw.json', '-o', 'existing'], { cwd, env });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^Wrote "existing\/Banking Assistant\.zip" /);
    expect((await stat(join(cwd, 'existing', 'Banking Assistant.zip'))).isFile()).toBe(true);
  });

  it('takes a path ending in "/" as a folder, made when missing', async () => {
    const result = await porter(['pack', 'raw.json', '-o', 'newdir/sub/'], { cwd, env });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^Wrote "newdir\/sub\/Banking Assistant\.zip" /);
    expect(await readdir(join(cwd, 'newdir', 'sub'))).toEqual(['Banking Assistant.zip']);
  });

  it('makes missing parent folders of a file path', async () => {
    const result = await porter(['pack', 'raw.json', '-o', 'made/here/p.zip'], { cwd, env });
    expect(result.code).toBe(0);
    expect((await stat(join(cwd, 'made', 'here', 'p.zip'))).isFile()).toBe(true);
  });

  it('gives the real reason when it cannot write', async () => {
    await writeFile(join(cwd, 'plain-file'), 'x');
    const notAFolder = await porter(['pack', 'raw.json', '-o', 'plain-file/p.zip'], { cwd, env });
    expect(notAFolder.code).toBe(1);
    expect(notAFolder.stderr).toMatch(
      /^porter: cannot write "plain-file\/p\.zip": ".*plain-file" is a file, not a folder\n$/,
    );

    const proc = await porter(['pack', 'raw.json', '-o', '/proc/porter-test.zip'], { cwd, env });
    expect(proc.code).toBe(1);
    expect(proc.stderr).toMatch(/^porter: cannot write "\/proc\/porter-test\.zip": /);
    expect(proc.stderr).not.toMatch(/no such file/);
  });
});

describe('--json on failure', () => {
  const failureShape = (stdout: string) => {
    const parsed = JSON.parse(stdout) as {
      error: { code: string; message: string; exitCode: number; problems: unknown[] };
    };
    expect(Object.keys(parsed)).toEqual(['error']);
    expect(typeof parsed.error.message).toBe('string');
    expect(Array.isArray(parsed.error.problems)).toBe(true);
    return parsed.error;
  };

  it('prints one error object on stdout for inspect, diff, pack and scan, with the same exit codes', async () => {
    await writeFile(join(cwd, 'text.zip'), 'just text');
    const inspect = await porter(['inspect', 'text.zip', '--json'], { cwd, env });
    expect(inspect.code).toBe(1);
    expect(failureShape(inspect.stdout)).toMatchObject({ code: 'NOT_A_ZIP', exitCode: 1 });
    expect(inspect.stderr).toBe('porter: "text.zip" is not a valid package (1 problem)\n');

    const diff = await porter(['diff', 'good.zip', 'text.zip', '--json'], { cwd, env });
    expect(diff.code).toBe(2);
    expect(failureShape(diff.stdout)).toMatchObject({ code: 'NOT_A_ZIP', exitCode: 2 });

    const pack = await porter(['pack', 'newer.json', '--json'], { cwd, env });
    expect(pack.code).toBe(1);
    const packError = failureShape(pack.stdout);
    expect(packError.code).toBe('UNSUPPORTED_SCHEMA_VERSION');
    expect(packError.problems).toEqual([
      {
        file: 'app_definition.json',
        path: 'app.schemaVersion',
        message: 'schema 2.0 is newer than this version of AFP Porter reads (1.x)',
      },
    ]);

    const missing = await porter(['inspect', 'missing.zip', '--json'], { cwd, env });
    expect(missing.code).toBe(1);
    expect(failureShape(missing.stdout)).toMatchObject({ code: 'CANNOT_READ' });

    const usage = await porter(['scan', '--json'], { cwd, env });
    expect(usage.code).toBe(2);
    expect(failureShape(usage.stdout)).toMatchObject({ code: 'USAGE', exitCode: 2 });
  });
});

describe('CLI wording', () => {
  it('diff with a JSON file points at "porter pack", not at the extension', async () => {
    const result = await porter(['diff', 'good.zip', 'raw.json'], { cwd, env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(
      'This is a JSON file, not a package (a .zip holding app_definition.json, flow_definition.json and env_variables.json). A raw version record becomes a package with "porter pack <file.json>".\n',
    );
    expect(result.stdout + result.stderr).not.toMatch(/choose app_definition\.json/);
  });
});

describe('porter inspect: values shown are masked', () => {
  it('shows a token or a password in an ordinary variable as ‹secret …›', async () => {
    const withSecrets = zip({
      env: {
        ...envFile,
        variables: [
          ...envFile.variables,
          { name: 'NEWVAR', value: GITHUB_TOKEN, secure: false, notes: '' },
          { name: 'DB_PASSWORD', value: 'Winter2024!', secure: false, notes: 'password: Winter2024!' },
        ],
      },
    });
    await writeFile(join(cwd, 'masked.zip'), withSecrets);
    const result = await porter(['inspect', 'masked.zip'], { cwd, env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ {2}NEWVAR +‹secret github-token #[0-9a-f]{16}›$/m);
    expect(result.stdout).toMatch(
      /^ {2}DB_PASSWORD +‹secret \S+(?: #[0-9a-f]{16}| ~[0-9a-f]{8})› +password: ‹secret \S+(?: #[0-9a-f]{16}| ~[0-9a-f]{8})›$/m,
    );
    expect(result.stdout).toMatch(/^ {2}BASE_URL +https:\/\/crm\.example\.com$/m);
    const json = await porter(['inspect', 'masked.zip', '--json'], { cwd, env });
    for (const output of [result.stdout, json.stdout]) {
      expect(output).not.toContain(GITHUB_TOKEN);
      expect(output).not.toContain('Winter2024!');
    }
  });
});

describe('output hygiene (local commands)', () => {
  it('never printed a stack trace', () => {
    for (const run of allRuns) expect(looksLikeStackTrace(run.stdout + run.stderr), run.stderr).toBe(false);
  });
});

describe('names from a package, on a terminal', () => {
  it('cannot send escape sequences, forge a line, or hide and reorder text with invisible characters', async () => {
    const hostile = structuredClone(app) as { workflow: { name: string; description: string } };
    hostile.workflow.name = 'Evil\u001b]0;pwned\u0007\u001b[2J\u202eexe.TXT\u200b';
    hostile.workflow.description = 'first\nPackage:     forged.zip';
    await writeFile(join(cwd, 'hostile.zip'), zip({ app: hostile }));
    for (const argv of [
      ['inspect', 'hostile.zip'],
      ['diff', 'good.zip', 'hostile.zip'],
    ]) {
      const result = await porter(argv, { cwd, env });
      // eslint-disable-next-line no-control-regex
      expect(result.stdout, argv[0]).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u202e]/);
      expect(result.stdout.split('\n').filter((line) => line.startsWith('Package:'))).toHaveLength(
        argv[0] === 'inspect' ? 1 : 0,
      );
    }
    const inspected = await porter(['inspect', 'hostile.zip'], { cwd, env });
    expect(inspected.stdout).toContain(
      'Workflow:    Evil?]0;pwned??[2J<U+202E>exe.TXT<U+200B> (first\\nPackage:     forged.zip)',
    );
  });
});
