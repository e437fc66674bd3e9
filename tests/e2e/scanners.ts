/**
 * Two independent secret scanners over a text: the project's own (`lib/redaction/`, what the export and
 * `porter scan` use) and secretlint's recommended preset, run as its CLI on a temporary file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scanText } from '../../lib/redaction/scan';

export function projectFindings(text: string): string[] {
  return scanText(text, 'stored.txt').map((finding) => `${finding.rule} at line ${finding.line}`);
}

export function secretlintFindings(text: string): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'porter-secretlint-'));
  try {
    const file = path.join(dir, 'stored.txt');
    writeFileSync(file, text);
    const run = spawnSync(
      'npx',
      ['secretlint', '--secretlintrc', path.resolve('.secretlintrc.json'), '--format', 'json', file],
      { encoding: 'utf8' },
    );
    if (run.status !== 0 && run.status !== 1) throw new Error(`secretlint failed: ${run.stderr}`);
    const results = JSON.parse(run.stdout) as { messages: { ruleId: string; message: string }[] }[];
    return results.flatMap((result) =>
      result.messages.map((message) => `${message.ruleId}: ${message.message}`),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
