/**
 * The inputs of the core benchmark, as the extension receives them: the raw version record's JSON text from
 * `GET /api/workflows/:id/versions/:versionId` of the in-process sandbox (Claims Flow 2000, deployed version), and
 * the ~20 MB record built on it (large-workflow.ts). Both are written to a temporary folder so that the memory
 * children load exactly the same bytes.
 */
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox } from '../tests/sandbox/server.ts';
import { SANDBOX_PASSWORD, SEEDED_VERSIONS, WORKFLOWS } from '../tests/sandbox/seed.ts';
import { buildLargeRecord } from './large-workflow.ts';

export interface BenchInput {
  /** Short id used on command lines and in the JSON results: `claims2000`, `large20mb`. */
  id: string;
  label: string;
  file: string;
  /** Bytes of the record's compact JSON (what crosses the network). */
  bytes: number;
  nodes: number;
  note: string;
}

export interface PreparedInputs {
  dir: string;
  inputs: BenchInput[];
  /** A ~0.5 MB record of the same shape: warms the memory children up without growing their heap to the input's size. */
  warmupFile: string;
  cleanup(): void;
}

/** The raw version record of a workflow version, fetched as editor@sandbox.test (like the extension does). */
export async function fetchVersionRecord(
  sandboxUrl: string,
  workflowId: string,
  versionId: string,
): Promise<string> {
  const login = await fetch(`${sandboxUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'editor@sandbox.test', password: SANDBOX_PASSWORD }),
  });
  if (!login.ok) throw new Error(`sandbox login failed: ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const response = await fetch(`${sandboxUrl}/api/workflows/${workflowId}/versions/${versionId}`, {
    headers: { cookie },
  });
  if (!response.ok) throw new Error(`reading the version record failed: ${response.status}`);
  return response.text();
}

export async function prepareInputs(targetBytes = 20_000_000): Promise<PreparedInputs> {
  const dir = mkdtempSync(path.join(tmpdir(), 'porter-bench-'));
  const sandbox = await startSandbox({ port: 0 });
  let claimsText: string;
  try {
    claimsText = await fetchVersionRecord(sandbox.url, WORKFLOWS.claims.id, SEEDED_VERSIONS.claims.deployed);
  } finally {
    await sandbox.close();
  }
  const claims = JSON.parse(claimsText);
  const large = buildLargeRecord(claims, targetBytes);
  const largeText = JSON.stringify(large.record);

  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const inputs: BenchInput[] = [
    {
      id: 'claims2000',
      label: 'Claims Flow 2000',
      file: write('claims2000.json', claimsText),
      bytes: Buffer.byteLength(claimsText),
      nodes: claims.flow.nodes.length,
      note: 'the sandbox record as served (1 secure env value, no inline secrets)',
    },
    {
      id: 'large20mb',
      label: 'Generated ~20 MB',
      file: write('large20mb.json', largeText),
      bytes: Buffer.byteLength(largeText),
      nodes: large.nodes,
      note: `same generator, ${large.nodes} nodes, ${large.inlineSecrets} inline secrets typed into fields`,
    },
  ];
  const warmupFile = write('warmup.json', JSON.stringify(buildLargeRecord(claims, 500_000).record));
  return { dir, inputs, warmupFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Loads an input as the extension holds it after `response.json()`. */
export function loadInput(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}
