import { unzipSync } from 'fflate';
import { makeZip } from 'client-zip';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bulkArchive, INDEX_FILE, type BulkIndex } from '../../../lib/bulk/archive';
import {
  exportWorkflows,
  fromNativeExports,
  fromVersionRecords,
  type BulkOutcome,
  type PackageBuilder,
} from '../../../lib/bulk/export-workflows';
import { confirmExport, startExport } from '../../../lib/jobs/export-job';
import { isAnyJobRunning } from '../../../lib/jobs/runner';
import { PackageError } from '../../../lib/package/errors';
import { redactVersion } from '../../../lib/redaction/redactor';
import { sha256Hex } from '../../../lib/package/version-package';
import type { PlatformClient } from '../../../lib/platform/types';
import { PorterDatabase, packageBytes } from '../../../lib/store/db';
import { generatedWorkflowPlan } from '../../sandbox/scale';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import {
  clearFaults,
  publicFor,
  sessionFor,
  setFaults,
  SEEDED_VERSIONS,
  WORKFLOWS,
} from '../platform/sandbox-fixture';

const KEY = 'bulk-test-installation-key';
const FORBIDDEN_TO_EDITOR = generatedWorkflowPlan(10); // the editor is a tool viewer there
const OPS_COLON = generatedWorkflowPlan(3); // "Ops: Intake"
const OPS_SLASH = generatedWorkflowPlan(4); // "Ops / Intake": the same file name
const MISSING = 'a-00000000-0000-5000-8000-000000000000';

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, jobDelayMs: 15, workflows: 20 });
});
afterAll(() => sandbox.close());
afterEach(() => clearFaults(sandbox.url));

async function collect(outcomes: AsyncIterable<BulkOutcome>): Promise<BulkOutcome[]> {
  const all: BulkOutcome[] = [];
  for await (const outcome of outcomes) all.push(outcome);
  return all;
}

/** Streams the archive through client-zip, as the extension and the CLI do, and reads it back. */
async function archiveOf(client: PlatformClient, workflowIds: string[], build?: PackageBuilder) {
  const archive = bulkArchive(
    exportWorkflows({ client, workflowIds, build: build ?? fromVersionRecords(client, KEY) }),
    { account: { name: 'Sandbox Bank' }, exportedAt: '2026-12-02T08:00:00.000Z' },
  );
  const zip = new Uint8Array(await new Response(makeZip(archive.entries)).arrayBuffer());
  const files = unzipSync(zip);
  const index = JSON.parse(new TextDecoder().decode(files[INDEX_FILE])) as BulkIndex;
  expect(index).toEqual(archive.index());
  return { files, index };
}

const folderOf = (files: Record<string, Uint8Array>, folder: string) =>
  Object.fromEntries(
    Object.entries(files)
      .filter(([name]) => name.startsWith(`${folder}/`))
      .map(([name, bytes]) => [name.slice(folder.length + 1), bytes]),
  );

/** The workflow's package as the extension's single export makes it (the export job, confirmed). */
async function singleExport(client: PlatformClient, workflowId: string, versionId: string) {
  const db = new PorterDatabase(`bulk-single-${Math.random()}`);
  const deps = {
    db,
    clientFor: () => client,
    downloads: { download: async () => ({ downloadId: 1 }) },
    notify: () => undefined,
    fingerprintKey: async () => KEY,
  };
  const started = await startExport(deps, { origin: sandbox.url, tabId: 1, workflowId, versionId });
  await confirmExport(deps, started.id);
  for (
    let i = 0;
    i < 1000 && (isAnyJobRunning() || (await db.jobs.get(started.id))?.status === 'running');
    i++
  )
    await new Promise((resolve) => setTimeout(resolve, 10));
  const job = (await db.jobs.get(started.id))!;
  expect(job.status).toBe('succeeded');
  if (job.kind !== 'export') throw new Error('not an export job');
  const bytes = (await packageBytes(db, job.packageId!))!;
  await db.delete();
  return bytes;
}

describe('bulk export through the single export’s steps', () => {
  it('writes one folder per workflow with the same bytes as its own package, and an index', async () => {
    const editor = await sessionFor(sandbox.url, 'editor');
    const { files, index } = await archiveOf(editor, [
      WORKFLOWS.banking.id,
      WORKFLOWS.invoice.id,
      OPS_COLON.id,
      OPS_SLASH.id,
    ]);
    expect(Object.keys(files).sort()).toEqual(
      ['Banking Assistant', 'Invoice Triage', 'Ops - Intake', 'Ops - Intake (2)']
        .flatMap((folder) =>
          ['app_definition.json', 'env_variables.json', 'flow_definition.json'].map((f) => `${folder}/${f}`),
        )
        .concat(INDEX_FILE)
        .sort(),
    );

    const expected = [
      { id: WORKFLOWS.banking.id, version: SEEDED_VERSIONS.banking.deployed, folder: 'Banking Assistant' },
      { id: WORKFLOWS.invoice.id, version: SEEDED_VERSIONS.invoice.inDevelopment, folder: 'Invoice Triage' },
      { id: OPS_COLON.id, version: OPS_COLON.deployedVersionId!, folder: 'Ops - Intake' },
      { id: OPS_SLASH.id, version: OPS_SLASH.deployedVersionId!, folder: 'Ops - Intake (2)' },
    ];
    for (const [i, want] of expected.entries()) {
      const single = await singleExport(editor, want.id, want.version);
      expect(folderOf(files, want.folder)).toEqual(unzipSync(single));
      expect(index.workflows[i]).toMatchObject({
        workflowId: want.id,
        status: 'exported',
        folder: want.folder,
        version: { id: want.version },
        package: { size: single.byteLength, sha256: await sha256Hex(single) },
      });
    }
    const banking = index.workflows[0]!;
    expect(banking).toMatchObject({
      name: 'Banking Assistant',
      version: { name: 'v2 loan intents', state: 'deployed' },
      variablesToSet: expect.arrayContaining(['CRM_TOKEN', 'PAYMENTS_SIGNING_KEY']),
    });
    if (banking.status !== 'exported') throw new Error('Banking Assistant was not exported');
    expect(banking.redactions.byRule).toMatchObject({ 'workflow-api-keys': 1, sharing: 1, 'audit-logs': 1 });
    expect(banking.redactions.total).toBe(
      Object.values(banking.redactions.byRule).reduce((sum, count) => sum + count, 0),
    );
    expect(index.summary).toEqual({
      requested: 4,
      exported: 4,
      failed: 0,
      redactions: index.workflows.reduce(
        (sum, w) => sum + (w.status === 'exported' ? w.redactions.total : 0),
        0,
      ),
    });
    expect(index.account).toEqual({ name: 'Sandbox Bank' });
  });

  it('carries on past a workflow the user may not export, one that is gone and one the platform fails on', async () => {
    const editor = await sessionFor(sandbox.url, 'editor');
    const failing = generatedWorkflowPlan(7);
    await setFaults(sandbox.url, [
      { method: 'GET', path: `/api/workflows/${failing.id}/versions/:versionId`, status: 500 },
    ]);
    const { files, index } = await archiveOf(editor, [
      FORBIDDEN_TO_EDITOR.id,
      WORKFLOWS.empty.id,
      MISSING,
      failing.id,
      WORKFLOWS.onboarding.id,
    ]);
    expect(index.workflows.map((w) => [w.status, w.status === 'failed' ? w.error.code : w.name])).toEqual([
      ['failed', 'FORBIDDEN'],
      ['exported', 'Empty Start'],
      ['failed', 'NOT_FOUND'],
      ['failed', 'SERVER'],
      ['exported', 'Onboarding / KYC: "Tier-1" ✓ Ünïcode'],
    ]);
    expect(index.workflows[0]).toMatchObject({
      name: FORBIDDEN_TO_EDITOR.name,
      error: { message: expect.stringContaining('tool viewer') },
    });
    expect(index.workflows[3]).toMatchObject({ name: failing.name, error: { retryable: true } });
    expect(index.summary).toMatchObject({ requested: 5, exported: 2, failed: 3 });
    expect(
      Object.keys(files)
        .filter((name) => name.endsWith('/app_definition.json'))
        .sort(),
    ).toEqual([
      'Empty Start/app_definition.json',
      "Onboarding - KYC - 'Tier-1' ✓ Ünïcode/app_definition.json",
    ]);
  });

  it('a refused leak check fails that workflow only, and nothing of it is in the archive', async () => {
    const owner = await sessionFor(sandbox.url, 'owner');
    const real = fromVersionRecords(owner, KEY);
    // Banking's draft holds secrets typed into ordinary fields; a blind redaction leaves them for the final check.
    const blind: PackageBuilder = async (target) => {
      if (target.workflowId !== WORKFLOWS.banking.id) return real(target);
      const raw = await owner.getVersionRecord(WORKFLOWS.banking.id, SEEDED_VERSIONS.banking.inDevelopment);
      await redactVersion(raw, { fingerprintKey: KEY, detector: () => [] });
      throw new Error('the leak check let a secret through');
    };
    const { files, index } = await archiveOf(owner, [WORKFLOWS.banking.id, WORKFLOWS.invoice.id], blind);
    expect(index.workflows[0]).toMatchObject({ status: 'failed', error: { code: 'LEAK_DETECTED' } });
    expect(index.workflows[1]).toMatchObject({ status: 'exported', name: 'Invoice Triage' });
    expect(Object.keys(files).some((name) => name.startsWith('Banking Assistant/'))).toBe(false);
  });

  it('stops, after the outcomes before it, when the session expires', async () => {
    const editor = await sessionFor(sandbox.url, 'editor');
    await setFaults(sandbox.url, [
      { method: 'GET', path: `/api/workflows/${WORKFLOWS.invoice.id}`, expireSession: true },
    ]);
    const seen: BulkOutcome[] = [];
    const run = (async () => {
      for await (const outcome of exportWorkflows({
        client: editor,
        workflowIds: [WORKFLOWS.empty.id, WORKFLOWS.invoice.id, WORKFLOWS.onboarding.id],
        build: fromVersionRecords(editor, KEY),
        concurrency: 1,
      }))
        seen.push(outcome);
    })();
    await expect(run).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(seen.map((o) => [o.workflowId, o.status])).toEqual([[WORKFLOWS.empty.id, 'exported']]);
  });

  it('stops at a cancel, starting no workflow after it', async () => {
    const owner = await sessionFor(sandbox.url, 'owner');
    const controller = new AbortController();
    const started: string[] = [];
    const ids = [1, 2, 5, 6, 8, 9].map((i) => generatedWorkflowPlan(i).id);
    const seen: BulkOutcome[] = [];
    const run = (async () => {
      for await (const outcome of exportWorkflows({
        client: owner,
        workflowIds: ids,
        build: fromVersionRecords(owner, KEY),
        concurrency: 2,
        signal: controller.signal,
        onStart: (id) => started.push(id),
      })) {
        seen.push(outcome);
        if (seen.length === 2) controller.abort();
      }
    })();
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(2);
    expect(started.length).toBeLessThan(ids.length);
  });

  it('holds at most `concurrency` workflows in memory while the archive is read slowly', async () => {
    const owner = await sessionFor(sandbox.url, 'owner');
    const real = fromVersionRecords(owner, KEY);
    let inFlight = 0;
    let most = 0;
    const counting: PackageBuilder = async (target) => {
      most = Math.max(most, ++inFlight);
      try {
        return await real(target);
      } finally {
        inFlight--;
      }
    };
    const ids = Array.from({ length: 12 }, (_, i) => generatedWorkflowPlan(i + 1).id);
    const outcomes: string[] = [];
    for await (const outcome of exportWorkflows({
      client: owner,
      workflowIds: ids,
      build: counting,
      concurrency: 3,
    })) {
      outcomes.push(outcome.workflowId);
      await new Promise((resolve) => setTimeout(resolve, 20)); // a slow reader (the download)
    }
    expect(outcomes).toEqual(ids);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(3);
  });

  it('through the public API, each workflow takes the platform’s export and the same redaction', async () => {
    const key = publicFor(sandbox.url);
    const { files, index } = await archiveOf(
      key,
      [WORKFLOWS.banking.id, WORKFLOWS.invoice.id],
      fromNativeExports(key, KEY),
    );
    expect(index.workflows.map((w) => w.status === 'exported' && [w.folder, w.version.id])).toEqual([
      ['Banking Assistant', SEEDED_VERSIONS.banking.deployed],
      ['Invoice Triage', SEEDED_VERSIONS.invoice.inDevelopment],
    ]);
    const flow = JSON.parse(new TextDecoder().decode(files['Banking Assistant/env_variables.json'])) as {
      variables: Array<{ name: string; value: string; secure: boolean }>;
    };
    expect(flow.variables.filter((v) => v.secure).every((v) => v.value === '')).toBe(true);
  });

  it('a builder’s error that is not the platform’s is reported as such, not thrown', async () => {
    const owner = await sessionFor(sandbox.url, 'owner');
    const broken: PackageBuilder = async () => {
      throw new PackageError('SCHEMA_MISMATCH', 'bad', [{ path: 'flow.nodes', message: 'missing' }]);
    };
    const outcomes = await collect(
      exportWorkflows({ client: owner, workflowIds: [WORKFLOWS.invoice.id], build: broken }),
    );
    expect(outcomes).toEqual([
      {
        status: 'failed',
        workflowId: WORKFLOWS.invoice.id,
        workflowName: 'Invoice Triage',
        error: expect.objectContaining({
          code: 'BAD_RESPONSE',
          message: expect.stringContaining('flow.nodes'),
        }),
      },
    ]);
  });
});
