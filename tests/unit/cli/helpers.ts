/** Runs `porter` in-process through runCli and captures what it prints. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../lib/cli/main.ts';
import type { CliIo } from '../../../lib/cli/io.ts';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Every run's output, so a test can check that nothing ever printed a stack trace. */
export const allRuns: RunResult[] = [];

export async function porter(
  argv: string[],
  options: { cwd: string; env?: Record<string, string | undefined> } & Partial<CliIo>,
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    cwd: options.cwd,
    env: options.env ?? {},
    platform: { pollIntervalMs: 10, ...options.platform },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const result = { code, stdout, stderr };
  allRuns.push(result);
  return result;
}

export async function tempDir(prefix = 'porter-cli-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export function looksLikeStackTrace(text: string): boolean {
  return /^\s+at .+[:(]\d+/m.test(text) || /\n\s+at /.test(text);
}
