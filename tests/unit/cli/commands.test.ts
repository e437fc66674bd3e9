/** Every `porter` command through runCli, against the real sandbox where the platform is involved. */
import { zipSync } from 'fflate';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackageZip } from '../../../lib/package/zip-read.ts';
import type { SandboxHandle } from '../../sandbox/server.ts';
import {
  BANKING_SECRETS,
  MANAGEMENT_API_KEY,
  WORKFLOWS,
  encode,
  sessionFor,
  startTestSandbox,
} from '../platform/sandbox-fixture.ts';
import { allRuns, looksLikeStackTrace, porter, tempDir } from './helpers.ts';

let sandbox: SandboxHandle;
let dir: { path: string; remove(): Promise<void> };
let cwd: string;
let env: Record<string, string>;
const banking = WORKFLOWS.banking;

function expectNoSecrets(...texts: (string | Uint8Array)[]) {
  for (const text of texts) {
    const value = typeof text === 'string' ? text : Buffer.from(text).toString('latin1');
    for (const secret of BANKING_SECRETS) expect(value).not.toContain(secret);
  }
}

beforeAll(async () => {
  sandbox = await startTestSandbox();
  dir = await tempDir();
  cwd = dir.path;
  env = { AFP_HOST: sandbox.url, AFP_API_KEY: MANAGEMENT_API_KEY };
  const editor = await sessionFor(sandbox.url, 'editor');
  await writeFile(
    join(cwd, 'raw-v3.json'),
    JSON.stringify(await editor.getVersionRecord(banking.id, banking.versions.v3)),
  );
  await writeFile(
    join(cwd, 'raw-v2.json'),
    JSON.stringify(await editor.getVersionRecord(banking.id, banking.versions.v2)),
  );
  await writeFile(
    join(cwd, 'native-v3.zip'),
    await editor.exportNativePackage(banking.id, banking.versions.v3),
  );
});

afterAll(async () => {
  await sandbox?.close();
  await dir?.remove();
});

describe('porter (general)', () => {
  it('lists the commands, prints its version, and explains wrong usage with exit 2', async () => {
    const help = await porter(['--help'], { cwd });
    expect(help.code).toBe(0);
    for (const command of ['pack', 'inspect', 'validate', 'diff', 'scan', 'export', 'import']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    }
    const version = await porter(['--version'], { cwd });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    expect((await porter([], { cwd })).code).toBe(2);
    const unknown = await porter(['frobnicate'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^porter: unknown command "frobnicate"\n/);
    const badOption = await porter(['inspect', '--bogus', 'x.zip'], { cwd });
    expect(badOption.code).toBe(2);
    expect(badOption.stderr.split('\n')[0]).toBe(
      'porter: unknown option "--bogus"; porter inspect takes --json, --help',
    );
    expect((await porter(['diff', 'only-one.zip'], { cwd })).code).toBe(2);
    expect((await porter(['help', 'nope'], { cwd })).code).toBe(2);
  });

  it('names the command or option meant by a typo, and says what an option lacks or does not take', async () => {
    const cases: Array<[string[], string]> = [
      [['valdiate', 'x.zip'], 'porter: unknown command "valdiate" (did you mean "validate"?)'],
      [['SCAN', '.'], 'porter: unknown command "SCAN" (did you mean "scan"?)'],
      [['validate', '--jsn', 'x.zip'], 'porter: unknown option "--jsn" (did you mean "--json"?)'],
      [['pack', 'raw-v3.json', '-o'], 'porter: --output needs a value'],
      [['validate', '--json=yes', 'x.zip'], 'porter: --json takes no value'],
    ];
    for (const [argv, line] of cases) {
      const result = await porter(argv, { cwd });
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr.split('\n')[0], argv.join(' ')).toBe(line);
    }
  });

  it.each(['pack', 'inspect', 'validate', 'diff', 'scan', 'export', 'import'])(
    '%s --help',
    async (command) => {
      const result = await porter([command, '--help'], { cwd });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Usage: porter ${command}`);
      expect((await porter(['help', command], { cwd })).stdout).toBe(result.stdout);
    },
  );
});

describe('porter pack', () => {
  it('redacts a raw record from the sandbox and writes "<Workflow Name>.zip" in the working folder', async () => {
    const result = await porter(['pack', 'raw-v3.json'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('Wrote "Banking Assistant.zip"');
    expect(result.stdout).toMatch(/workflow-api-keys\s+removed/);
    expect(result.stdout).toMatch(/PORTER_API0002_AUTHORIZATION/);
    const zip = new Uint8Array(await readFile(join(cwd, 'Banking Assistant.zip')));
    expect(readPackageZip(zip).content.app.version.name).toBe('v3 fraud checks');
    expectNoSecrets(result.stdout, zip);
  });

  it('writes where -o says and reports as JSON', async () => {
    const result = await porter(['pack', 'raw-v2.json', '-o', 'out/v2.zip', '--json'], { cwd });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      output: string;
      redactions: { rule: string }[];
      variablesToSet: { name: string }[];
    };
    expect(report.output).toBe('out/v2.zip');
    expect(report.redactions.map((item) => item.rule)).toContain('secure-env');
    expect(report.variablesToSet.map((variable) => variable.name)).toContain('CRM_TOKEN');
    expectNoSecrets(result.stdout);
    await readFile(join(cwd, 'out/v2.zip'));
  });

  it('fails with one line for a missing file, bad JSON, and a record that is not a version record', async () => {
    const missing = await porter(['pack', 'nope.json'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('porter: cannot read "nope.json": no such file or folder\n');

    await writeFile(join(cwd, 'broken.json'), '{"workflow": ');
    const broken = await porter(['pack', 'broken.json'], { cwd });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^porter: "broken.json" is not valid JSON/);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);

    await writeFile(
      join(cwd, 'wrong.json'),
      JSON.stringify({ workflow: { id: 'a-1' }, version: {}, app: {}, flow: { nodes: 'x' }, env: [] }),
    );
    const wrong = await porter(['pack', 'wrong.json'], { cwd });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrong.stdout).toMatch(/workflow\.name/);
    expect(wrong.stdout).toMatch(/flow\.nodes|nodes/);
  });

  it.skipIf(process.getuid?.() === 0)('reports a file it may not read (EACCES) in one line', async () => {
    await writeFile(join(cwd, 'locked.json'), '{}');
    await chmod(join(cwd, 'locked.json'), 0o000);
    const result = await porter(['pack', 'locked.json'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('porter: cannot read "locked.json": permission denied\n');
  });
});

describe('porter inspect', () => {
  it('shows workflow, version, node counts, io, guardrails and env without secure values', async () => {
    const result = await porter(['inspect', 'native-v3.zip'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Workflow: +Banking Assistant/m);
    expect(result.stdout).toMatch(/^Version: +v3 fraud checks/m);
    expect(result.stdout).toMatch(/^Nodes: +17 \(ai 2, api 3/m);
    expect(result.stdout).toMatch(/^Inputs: +customerId: string \(mandatory\)/m);
    expect(result.stdout).toMatch(/^Guardrails: +input: .*Regex/m);
    expect(result.stdout).toMatch(/CRM_TOKEN +\(secure, value not shown\)/);
    expect(result.stdout).toMatch(/flow_definition\.json +\d+(\.\d)? KB/);
    expect(result.stdout).toMatch(
      /^After import:\n {2}- Set the value of the secure variable CRM_TOKEN \(used by /m,
    );

    const json = await porter(['inspect', 'Banking Assistant.zip', '--json'], { cwd });
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout) as {
      nodes: { total: number; byType: Record<string, number> };
      env: { name: string; secure: boolean; value?: string }[];
      files: { name: string; size: number }[];
    };
    expect(summary.nodes.total).toBe(17);
    expect(summary.nodes.byType.function).toBe(3);
    for (const variable of summary.env) if (variable.secure) expect(variable).not.toHaveProperty('value');
    expect(summary.files.map((file) => file.name).sort()).toEqual([
      'app_definition.json',
      'env_variables.json',
      'flow_definition.json',
    ]);
    expectNoSecrets(json.stdout);
  });
});

describe('porter validate', () => {
  it('exits 0 for a valid package', async () => {
    const result = await porter(['validate', 'Banking Assistant.zip'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('valid package');
    // The platform's own export holds nothing a package must never contain.
    const native = await porter(['validate', 'native-v3.zip'], { cwd });
    expect(native.code).toBe(0);
    expect(native.stderr).toBe('');
  });

  it('exits 1 and lists every problem, one per line, with file and path', async () => {
    const native = readPackageZip(new Uint8Array(await readFile(join(cwd, 'native-v3.zip')))).content;
    const flow = structuredClone(native.flow) as {
      nodes: { id: string; connections: { onSuccess: string[] } }[];
    };
    flow.nodes[1]!.id = flow.nodes[0]!.id; // duplicate id
    flow.nodes[2]!.connections.onSuccess = ['nowhere'];
    const env = { schemaVersion: '1.0', variables: [{ name: '1BAD', value: '', secure: false, notes: '' }] };
    const app = { ...native.app, workflow: { name: '' } };
    await writeFile(
      join(cwd, 'invalid.zip'),
      zipSync({
        'app_definition.json': encode(app),
        'flow_definition.json': encode(flow),
        'env_variables.json': encode(env),
      }),
    );
    const result = await porter(['validate', 'invalid.zip'], { cwd });
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines.some((line) => /^app_definition\.json: workflow\.name: /.test(line))).toBe(true);
    expect(lines.some((line) => /^flow_definition\.json: nodes\[1\]\.id: .*duplicate/.test(line))).toBe(true);
    expect(
      lines.some((line) =>
        /^flow_definition\.json: nodes\[2\]\.connections\.onSuccess\[0\]: .*nowhere/.test(line),
      ),
    ).toBe(true);
    expect(lines.some((line) => /^env_variables\.json: variables\[0\]\.name: /.test(line))).toBe(true);
    expect(result.stderr).toMatch(/^porter: "invalid.zip" is not a valid package \(\d+ problems\)\n$/);

    const json = await porter(['validate', 'invalid.zip', '--json'], { cwd });
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { valid: boolean; problems: unknown[] }).problems.length).toBe(
      lines.length,
    );
  });

  it('exits 1 for a file that is not a zip and 2 for wrong usage', async () => {
    const notZip = await porter(['validate', 'raw-v3.json'], { cwd });
    expect(notZip.code).toBe(1);
    expect(notZip.stdout.length).toBeGreaterThan(0);
    expect((await porter(['validate'], { cwd })).code).toBe(2);
    expect((await porter(['validate', 'a.zip', 'b.zip'], { cwd })).code).toBe(2);
  });
});

describe('porter diff', () => {
  it('exits 0 for the same package, 1 for different ones, 2 when it cannot compare', async () => {
    const same = await porter(['diff', 'Banking Assistant.zip', 'Banking Assistant.zip'], { cwd });
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('same');

    const different = await porter(['diff', 'out/v2.zip', 'Banking Assistant.zip'], { cwd });
    expect(different.code).toBe(1);
    expect(different.stdout).toMatch(/^\+ node /m);
    expect(different.stdout).toMatch(/~ app version\.name/);

    const json = await porter(['diff', 'out/v2.zip', 'Banking Assistant.zip', '--json'], { cwd });
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { same: boolean }).same).toBe(false);

    // A native package still holds inline secrets: the diff shows where, never what.
    const masked = await porter(['diff', 'native-v3.zip', 'Banking Assistant.zip'], { cwd });
    expect(masked.code).toBe(1);
    expect(masked.stdout).toMatch(/‹secret \S+ #[0-9a-f]{16}›/);
    const maskedJson = await porter(['diff', 'native-v3.zip', 'Banking Assistant.zip', '--json'], { cwd });
    expectNoSecrets(masked.stdout, maskedJson.stdout);
    for (const secret of BANKING_SECRETS) {
      expect(masked.stdout + maskedJson.stdout).not.toContain(secret.slice(0, 24));
    }

    const trouble = await porter(['diff', 'out/v2.zip', 'missing.zip'], { cwd });
    expect(trouble.code).toBe(2);
    expect(trouble.stderr).toBe('porter: cannot read "missing.zip": no such file or folder\n');
    expect((await porter(['diff', 'out/v2.zip', 'invalid.zip'], { cwd })).code).toBe(2);
  });
});

describe('porter scan', () => {
  it('finds planted secrets in text, JSON and zip entries, exits 1 and never prints them', async () => {
    const planted = join(cwd, 'planted');
    await mkdir(join(planted, 'nested'), { recursive: true });
    await writeFile(
      join(planted, 'notes.txt'),
      `deploy notes\nAuthorization: Bearer ${BANKING_SECRETS[4]}\n`,
    );
    await writeFile(
      join(planted, 'nested', 'config.json'),
      JSON.stringify({ service: { apiKey: BANKING_SECRETS[0] } }),
    );
    await writeFile(join(planted, 'native.zip'), await readFile(join(cwd, 'native-v3.zip')));
    const result = await porter(['scan', 'planted'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/planted\/notes\.txt +2:\d+ +\S+ +[0-9a-f]{16}/);
    expect(result.stdout).toMatch(/planted\/nested\/config\.json +service\.apiKey +\S+ +[0-9a-f]{16}/);
    expect(result.stdout).toMatch(/planted\/native\.zip!flow_definition\.json +nodes\[\d+\]\.config/);
    expect(result.stdout).toMatch(/possible secrets? found/);
    expectNoSecrets(result.stdout, result.stderr);

    const json = await porter(['scan', 'planted/native.zip', '--json'], { cwd });
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      findings: { file: string; path: string; rule: string; fingerprint: string }[];
    };
    expect(parsed.findings.length).toBeGreaterThan(0);
    expectNoSecrets(json.stdout);
  });

  it('exits 0 for a clean folder and for a redacted package', async () => {
    const clean = join(cwd, 'clean');
    await mkdir(clean, { recursive: true });
    await writeFile(join(clean, 'readme.md'), '# Nothing to see\nUse {{context.env.CRM_TOKEN}} here.\n');
    await writeFile(
      join(clean, 'settings.json'),
      JSON.stringify({ baseUrl: 'https://api.example.com', retries: 3 }),
    );
    const result = await porter(['scan', 'clean'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('No secrets found in 2 files.');
    expect((await porter(['scan', 'Banking Assistant.zip'], { cwd })).code).toBe(0);
    expect((await porter(['scan'], { cwd })).code).toBe(2);
    expect((await porter(['scan', 'nowhere'], { cwd })).code).toBe(1);
  });
});

describe('porter export', () => {
  it('exports by name with the key from AFP_API_KEY and redacts the platform package', async () => {
    const result = await porter(
      ['export', '--workflow', 'Banking Assistant', '--version', banking.versions.v3, '-o', 'exported.zip'],
      {
        cwd,
        env,
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Exported "Banking Assistant" version "v3 fraud checks" to "exported.zip"',
    );
    expect(result.stdout).toMatch(/PORTER_API0002_AUTHORIZATION/);
    const zip = new Uint8Array(await readFile(join(cwd, 'exported.zip')));
    expectNoSecrets(zip, result.stdout);
    expect((await porter(['scan', 'exported.zip'], { cwd })).code).toBe(0);
  });

  it('exports by ID with --host/--api-key flags to the default file name, as JSON', async () => {
    const result = await porter(
      [
        'export',
        '--host',
        sandbox.url,
        '--api-key',
        MANAGEMENT_API_KEY,
        '--workflow',
        WORKFLOWS.onboarding.id,
        '--json',
      ],
      { cwd },
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { output: string; workflowId: string };
    expect(report.workflowId).toBe(WORKFLOWS.onboarding.id);
    expect(report.output).not.toMatch(/[/\\:*?"<>|]/);
    await readFile(join(cwd, report.output));
  });

  it('fails clearly: wrong key, unknown name, unknown id; usage errors exit 2', async () => {
    const wrongKey = await porter(['export', '--workflow', banking.id], {
      cwd,
      env: { ...env, AFP_API_KEY: 'kg-wrong' },
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/^porter: .*API key/);
    expect(wrongKey.stderr.trim().split('\n')).toHaveLength(1);
    expect(wrongKey.stderr).not.toContain('kg-wrong');

    const unknownName = await porter(['export', '--workflow', 'No Such Workflow'], { cwd, env });
    expect(unknownName.code).toBe(1);
    expect(unknownName.stderr).toMatch(/no workflow is named "No Such Workflow"/);

    const unknownId = await porter(['export', '--workflow', 'a-00000000-0000-5000-8000-000000000000'], {
      cwd,
      env,
    });
    expect(unknownId.code).toBe(1);
    expect(unknownId.stderr).toMatch(/^porter: Not found/);

    expect((await porter(['export', '--workflow', banking.id], { cwd })).code).toBe(2); // no host, no key
    expect(
      (await porter(['export', '--workflow', banking.id], { cwd, env: { AFP_HOST: sandbox.url } })).code,
    ).toBe(2);
    expect((await porter(['export'], { cwd, env })).code).toBe(2);
    expect((await porter(['export', '--workflow', banking.id, '--timeout', 'soon'], { cwd, env })).code).toBe(
      2,
    );
  });

  it('says the key was refused (HTTP 401) when the workflow is given by name too', async () => {
    const byName = await porter(['export', '--workflow', 'Banking Assistant'], {
      cwd,
      env: { ...env, AFP_API_KEY: 'kg-wrong' },
    });
    expect(byName.code).toBe(1);
    expect(byName.stderr).toMatch(/^porter: The platform refused the API key \(HTTP 401\)/);
    expect(byName.stderr).not.toMatch(/does not list workflows|pass the workflow ID/);
    expect(byName.stderr).not.toContain('kg-wrong');

    const byId = await porter(['export', '--workflow', banking.id], {
      cwd,
      env: { ...env, AFP_API_KEY: 'kg-wrong' },
    });
    expect(byId.stderr).toMatch(/^porter: The platform refused the API key \(HTTP 401\) while /);
  });

  it('wants the host as an origin and a positive --timeout (exit 2, one clear line)', async () => {
    const withPath = await porter(
      ['export', '--workflow', banking.id, '--host', `${sandbox.url}/some/path`],
      {
        cwd,
        env,
      },
    );
    expect(withPath.code).toBe(2);
    expect(withPath.stderr.split('\n')[0]).toBe(
      `porter: --host must be the platform's origin, e.g. ${sandbox.url}, without a path or query (not "${sandbox.url}/some/path")`,
    );
    const envPath = await porter(['export', '--workflow', banking.id], {
      cwd,
      env: { ...env, AFP_HOST: `${sandbox.url}/workflows/${banking.id}` },
    });
    expect(envPath.code).toBe(2);
    expect(envPath.stderr).toMatch(/^porter: AFP_HOST must be the platform's origin/);
    // A trailing slash is still an origin.
    expect(
      (
        await porter(['export', '--workflow', banking.id, '--host', `${sandbox.url}/`, '-o', 'slash.zip'], {
          cwd,
          env,
        })
      ).code,
    ).toBe(0);

    for (const timeout of ['-5', '0', 'soon']) {
      const result = await porter(['export', '--workflow', banking.id, '--timeout', timeout], { cwd, env });
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe(
        `porter: --timeout must be a positive number of seconds (not "${timeout}")`,
      );
    }
  });

  it('never repeats a password or a query given in the host', async () => {
    for (const host of [
      `http://admin:Hunter2xQz9@${new URL(sandbox.url).host}`,
      `${sandbox.url}/x?token=Hunter2xQz9`,
    ]) {
      const result = await porter(['export', '--workflow', banking.id, '--host', host], { cwd, env });
      expect(result.code, host).toBe(2);
      expect(result.stderr).toMatch(/^porter: --host must be the platform's origin/);
      expect(result.stderr).not.toContain('Hunter2xQz9');
    }
  });

  it('says in words why a host cannot be reached: a port fetch refuses, or nothing listening', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const cases: Array<[string, string]> = [
      ['http://127.0.0.1:9', 'fetch refuses to use that port'],
      [`http://127.0.0.1:${freePort}`, 'connection refused: nothing answers on that port; ECONNREFUSED'],
    ];
    for (const [host, words] of cases) {
      const result = await porter(['export', '--workflow', banking.id], {
        cwd,
        env: { AFP_HOST: host, AFP_API_KEY: MANAGEMENT_API_KEY },
      });
      expect(result.code, host).toBe(1);
      expect(result.stderr).toMatch(/^porter: Could not reach the platform/);
      expect(result.stderr, host).toContain(words);
    }
  });
});

describe('porter import', () => {
  it('imports a package as a new workflow and prints its ID and warnings', async () => {
    const result = await porter(['import', 'Banking Assistant.zip', '--name', 'Banking via CLI'], {
      cwd,
      env,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Imported as new workflow "Banking via CLI": a-[0-9a-f-]+/);
    expect(result.stdout).toMatch(/SECURE_VALUE_MISSING: Secure variable PORTER_API0002_AUTHORIZATION/);
    expect(sandbox.state().workflows.some((workflow) => workflow.name === 'Banking via CLI')).toBe(true);

    // A taken name is said before anything is uploaded, with a free one proposed.
    const filesBefore = sandbox.state().files.length;
    const again = await porter(['import', 'Banking Assistant.zip', '--name', 'Banking via CLI', '--json'], {
      cwd,
      env,
    });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(
      'porter: A workflow named "Banking via CLI" already exists in this account; choose another with --name ("Banking via CLI (2)" is free)\n',
    );
    // --json: the same failure as one error object on stdout.
    const failure = JSON.parse(again.stdout) as {
      error: { code: string; message: string; exitCode: number };
    };
    expect(failure.error).toMatchObject({ code: 'NAME_EXISTS', exitCode: 1 });
    expect(sandbox.state().files.length).toBe(filesBefore);
  });

  it('imports as a version with env conflicts', async () => {
    const result = await porter(
      [
        'import',
        'exported.zip',
        '--as-version-of',
        banking.id,
        '--env-conflict',
        'BASE_URL=overwrite',
        '--env-conflict',
        'LOG_LEVEL=keep',
        '--json',
      ],
      { cwd, env },
    );
    expect(result.code).toBe(0);
    const parsed = JSON.parse(result.stdout) as { workflowId: string; warnings: { code: string }[] };
    expect(parsed.workflowId).toBe(banking.id);
    expect(parsed.warnings.map((warning) => warning.code)).toContain('SECURE_VALUE_MISSING');
  });

  it('validates locally first: every problem listed, nothing uploaded', async () => {
    const filesBefore = sandbox.state().files.length;
    const result = await porter(['import', 'invalid.zip', '--name', 'Never'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(4);
    expect(result.stderr).toMatch(/^porter: "invalid.zip" is not a valid package/);
    expect(sandbox.state().files.length).toBe(filesBefore);
  });

  it('refuses a package holding a secure value or the push token before uploading anything', async () => {
    const content = readPackageZip(new Uint8Array(await readFile(join(cwd, 'exported.zip')))).content;
    const env2 = structuredClone(content.env) as { variables: { secure: boolean; value: string }[] };
    const secure = env2.variables.find((variable) => variable.secure)!;
    secure.value = 'set-by-hand-1';
    await writeFile(
      join(cwd, 'secure-value.zip'),
      zipSync({
        'app_definition.json': encode(content.app),
        'flow_definition.json': encode(content.flow),
        'env_variables.json': encode(env2),
      }),
    );
    const filesBefore = sandbox.state().files.length;
    const result = await porter(['import', 'secure-value.zip', '--name', 'Never either'], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^env_variables\.json, variables\[\d+\]\.value: secure variable \S+ carries a value/m,
    );
    expect(result.stderr).toBe('porter: "secure-value.zip" is not a valid package (1 problem)\n');
    expect(result.stdout).not.toContain('set-by-hand-1');
    expect(sandbox.state().files.length).toBe(filesBefore);
  });

  it('says before uploading what the plan finds, and the platform refusing in plain words', async () => {
    const filesBefore = sandbox.state().files.length;
    const notDeployed = await porter(['import', 'exported.zip', '--as-version-of', WORKFLOWS.invoice.id], {
      cwd,
      env,
    });
    expect(notDeployed.code).toBe(1);
    expect(notDeployed.stderr).toMatch(/^porter: "Invoice Triage" is not deployed: .*Deploy it first/);
    expect(sandbox.state().files.length).toBe(filesBefore);

    const native = readPackageZip(new Uint8Array(await readFile(join(cwd, 'exported.zip')))).content;
    const app = {
      ...native.app,
      guardrails: { inputScanners: [{ type: 'Ban Topics', settings: {} }], outputScanners: [] },
    };
    await writeFile(
      join(cwd, 'guardrails.zip'),
      zipSync({
        'app_definition.json': encode(app),
        'flow_definition.json': encode(native.flow),
        'env_variables.json': encode(native.env),
      }),
    );
    const missing = await porter(['import', 'guardrails.zip', '--name', 'Guarded'], { cwd, env });
    expect(missing.code).toBe(1);
    // Named before uploading: the public API cannot list the account's scanners, so it is a caution.
    expect(missing.stdout).toMatch(/^Check in the target account:$/m);
    expect(missing.stdout).toMatch(
      /^ {2}Guardrail scanner "Ban Topics" must be deployed in the target account/m,
    );
    expect(missing.stderr).toBe(
      'porter: The package uses guardrail scanners that are not deployed in this account; nothing was imported\n',
    );
    expect(missing.stdout).toContain(
      'app_definition.json, input scanner 1: Guardrail scanner "Ban Topics" is not deployed in this account.',
    );
    expect(missing.stdout).not.toMatch(/[{}]/);
  });

  it('rejects contradictory or malformed options with exit 2', async () => {
    expect(
      (await porter(['import', 'exported.zip', '--name', 'x', '--as-version-of', banking.id], { cwd, env }))
        .code,
    ).toBe(2);
    expect(
      (
        await porter(
          ['import', 'exported.zip', '--as-version-of', banking.id, '--env-conflict', 'BASE_URL'],
          { cwd, env },
        )
      ).code,
    ).toBe(2);
    expect(
      (await porter(['import', 'exported.zip', '--env-conflict', 'BASE_URL=keep'], { cwd, env })).code,
    ).toBe(2);
    expect((await porter(['import'], { cwd, env })).code).toBe(2);
  });
});

describe('porter output hygiene', () => {
  it('never printed a stack trace, and every failure ended with exactly one "porter:" line on stderr', () => {
    expect(allRuns.length).toBeGreaterThan(40);
    for (const run of allRuns) {
      expect(looksLikeStackTrace(run.stdout + run.stderr), run.stderr).toBe(false);
      if (run.code !== 0 && run.stderr) {
        const porterLines = run.stderr.split('\n').filter((line) => line.startsWith('porter: '));
        expect(porterLines.length, run.stderr).toBeGreaterThanOrEqual(1);
      }
    }
  });
});
