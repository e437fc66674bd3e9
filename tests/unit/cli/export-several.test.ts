/** `porter export` with several workflows, against the real sandbox (with generated workflows). */
import { unzipSync } from 'fflate';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BulkIndex } from '../../../lib/bulk/archive.ts';
import { generatedWorkflowPlan } from '../../sandbox/scale.ts';
import { startSandbox, type SandboxHandle } from '../../sandbox/server.ts';
import {
  BANKING_SECRETS,
  MANAGEMENT_API_KEY,
  WORKFLOWS,
  clearFaults,
  setFaults,
} from '../platform/sandbox-fixture.ts';
import { looksLikeStackTrace, porter, tempDir } from './helpers.ts';

let sandbox: SandboxHandle;
let dir: { path: string; remove(): Promise<void> };
let cwd: string;
let env: Record<string, string>;
const OPS = [generatedWorkflowPlan(3), generatedWorkflowPlan(4)];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, jobDelayMs: 5, workflows: 12 });
  dir = await tempDir();
  cwd = dir.path;
  env = { AFP_HOST: sandbox.url, AFP_API_KEY: MANAGEMENT_API_KEY };
});
afterAll(async () => {
  await sandbox.close();
  await dir.remove();
});
afterEach(() => clearFaults(sandbox.url));

const unzipText = (zip: Uint8Array) =>
  Object.fromEntries(
    Object.entries(unzipSync(zip)).map(([name, bytes]) => [name, new TextDecoder().decode(bytes)]),
  );

describe('porter export with several workflows', () => {
  it('writes one zip with a folder per workflow, each the same as that workflow’s own export, and an index', async () => {
    const result = await porter(
      [
        'export',
        '-w',
        WORKFLOWS.banking.id,
        '-w',
        'Invoice Triage',
        '-w',
        OPS[0]!.id,
        '-w',
        OPS[1]!.id,
        '-o',
        'all.zip',
      ],
      { cwd, env },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Exported 4 of 4 workflows to "all\.zip" \(/);
    expect(result.stdout).toContain('ok      Ops - Intake (2)/');
    const files = unzipText(new Uint8Array(await readFile(join(cwd, 'all.zip'))));
    expect(
      Object.keys(files)
        .filter((name) => name.endsWith('app_definition.json'))
        .sort(),
    ).toEqual([
      'Banking Assistant/app_definition.json',
      'Invoice Triage/app_definition.json',
      'Ops - Intake (2)/app_definition.json',
      'Ops - Intake/app_definition.json',
    ]);
    for (const secret of BANKING_SECRETS) expect(JSON.stringify(files)).not.toContain(secret);

    // Each folder holds exactly what `porter export` of that one workflow writes.
    expect(
      (await porter(['export', '-w', WORKFLOWS.banking.id, '-o', 'banking.zip'], { cwd, env })).code,
    ).toBe(0);
    const single = unzipText(new Uint8Array(await readFile(join(cwd, 'banking.zip'))));
    for (const name of Object.keys(single)) expect(files[`Banking Assistant/${name}`]).toBe(single[name]);

    const index = JSON.parse(files['porter-index.json']!) as BulkIndex;
    expect(index.account.name).toBe('Sandbox Bank');
    expect(index.summary).toMatchObject({ requested: 4, exported: 4, failed: 0 });
    expect(index.workflows[0]).toMatchObject({
      name: 'Banking Assistant',
      version: { name: 'v2 loan intents' },
    });
  });

  it('takes a file of IDs and names, writes the layout to a folder, and exits 1 naming what failed and why', async () => {
    const failing = generatedWorkflowPlan(7);
    await setFaults(sandbox.url, [
      { method: 'POST', path: `/api/public/workflows/${failing.id}/export`, status: 503 },
    ]);
    await writeFile(
      join(cwd, 'ids.txt'),
      [
        '# the account, as of today',
        WORKFLOWS.empty.id,
        '',
        `${failing.id}   # flaky`,
        'Claims Flow 2000',
        'a-00000000-0000-5000-8000-000000000000',
        WORKFLOWS.empty.id,
      ].join('\n'),
    );
    const result = await porter(['export', '--workflows-file', 'ids.txt', '-o', 'exports/'], { cwd, env });
    expect(result.code).toBe(1);
    expect(looksLikeStackTrace(result.stdout + result.stderr)).toBe(false);
    expect(result.stdout).toMatch(/^Exported 2 of 4 workflows to "exports\/"/);
    expect(result.stdout).toMatch(new RegExp(`FAILED  ${failing.name} \\(${failing.id}\\): .*503`));
    expect(result.stdout).toMatch(/FAILED {2}a-00000000-0000-5000-8000-000000000000: Not found/);
    expect(result.stdout).toContain('2 workflows not exported');
    expect((await readdir(join(cwd, 'exports'))).sort()).toEqual([
      'Claims Flow 2000',
      'Empty Start',
      'porter-index.json',
    ]);
    expect((await readdir(join(cwd, 'exports', 'Empty Start'))).sort()).toEqual([
      'app_definition.json',
      'env_variables.json',
      'flow_definition.json',
    ]);
    const index = JSON.parse(await readFile(join(cwd, 'exports', 'porter-index.json'), 'utf8')) as BulkIndex;
    expect(index.workflows.map((w) => w.status)).toEqual(['exported', 'failed', 'exported', 'failed']);
  });

  it('prints the index as JSON', async () => {
    const result = await porter(
      ['export', '-w', WORKFLOWS.empty.id, '-w', WORKFLOWS.invoice.id, '--json', '-o', 'two'],
      {
        cwd,
        env,
      },
    );
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as BulkIndex & { output: string };
    expect(printed.output).toBe('two');
    expect(printed.workflows.map((w) => w.status === 'exported' && w.folder)).toEqual([
      'Empty Start',
      'Invoice Triage',
    ]);
  });

  it('names the zip after the account and the date by default', async () => {
    const here = join(cwd, 'default');
    await mkdir(here);
    const result = await porter(['export', '-w', WORKFLOWS.empty.id, '-w', WORKFLOWS.invoice.id], {
      cwd: here,
      env,
    });
    expect(result.code).toBe(0);
    expect(await readdir(here)).toEqual([
      expect.stringMatching(/^Sandbox Bank workflows \d{4}-\d\d-\d\d\.zip$/),
    ]);
  });

  it('refuses bad input before exporting anything', async () => {
    await writeFile(join(cwd, 'empty.txt'), '# nothing yet\n\n');
    const empty = await porter(['export', '--workflows-file', 'empty.txt', '-o', 'none.zip'], { cwd, env });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^porter: "empty.txt" names no workflow/);
    const missing = await porter(['export', '--workflows-file', 'nope.txt'], { cwd, env });
    expect(missing.stderr).toMatch(/^porter: cannot read "nope.txt": no such file/);
    const version = await porter(
      ['export', '-w', WORKFLOWS.empty.id, '-w', WORKFLOWS.invoice.id, '--version', 'cf-1'],
      {
        cwd,
        env,
      },
    );
    expect(version.code).toBe(2);
    expect(version.stderr).toMatch(/--version takes one workflow/);
    const unknownName = await porter(
      ['export', '-w', WORKFLOWS.empty.id, '-w', 'No Such Workflow', '-o', 'x.zip'],
      {
        cwd,
        env,
      },
    );
    expect(unknownName.code).toBe(1);
    expect(unknownName.stderr).toMatch(/no workflow is named "No Such Workflow"/);
    await expect(readFile(join(cwd, 'none.zip'))).rejects.toThrow();
    await expect(readFile(join(cwd, 'x.zip'))).rejects.toThrow();
  });

  it('stops when the key is refused, and leaves no half-written zip', async () => {
    const result = await porter(
      ['export', '-w', WORKFLOWS.empty.id, '-w', WORKFLOWS.invoice.id, '-o', 'refused.zip'],
      {
        cwd,
        env: { ...env, AFP_API_KEY: 'kg-wrong' },
      },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^porter: The platform refused the API key/);
    expect(
      (await readdir(cwd)).filter((name) => name.includes('refused') || name.endsWith('.porter-tmp')),
    ).toEqual([]);
  });
});
