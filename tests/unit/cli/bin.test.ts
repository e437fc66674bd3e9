/** The real executable: `node bin/porter.mjs --help` as a separate process, from another folder. */
import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/porter.mjs', import.meta.url));

describe('bin/porter.mjs', () => {
  it('prints the help from any working folder', async () => {
    const { stdout, stderr } = await run(process.execPath, [BIN, '--help'], {
      cwd: tmpdir(),
      timeout: 30_000,
    });
    expect(stdout).toContain('Usage: porter <command>');
    expect(stdout).toMatch(/^ {2}export /m);
    expect(stderr).toBe('');
  });

  it('exits 2 with one line on wrong usage', async () => {
    const error = await run(process.execPath, [BIN, 'validate'], { cwd: tmpdir(), timeout: 30_000 }).catch(
      (e: unknown) => e,
    );
    expect((error as { code?: number }).code).toBe(2);
    expect((error as { stderr: string }).stderr).toMatch(/^porter: missing <package\.zip>\n/);
  });
});

describe('bin/porter.mjs: the built CLI and the sources', () => {
  it('the bundle (scripts/build-cli.mjs) and the sources through tsx answer alike', async () => {
    await run(process.execPath, [fileURLToPath(new URL('../../../scripts/build-cli.mjs', import.meta.url))], {
      timeout: 60_000,
    });
    const built = await run(process.execPath, [BIN, '--help'], { cwd: tmpdir(), timeout: 30_000 });
    const fromSources = await run(process.execPath, [BIN, '--help'], {
      cwd: tmpdir(),
      timeout: 30_000,
      env: { ...process.env, PORTER_FROM_SOURCES: '1' },
    });
    expect(built.stdout).toContain('Usage: porter <command>');
    expect(built.stdout).toBe(fromSources.stdout);
  });
});
