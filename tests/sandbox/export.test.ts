import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { startSandbox, type SandboxHandle } from './server.ts';
import { BANKING_MUST_NOT_LEAK, BANKING_SECRETS, WORKFLOWS } from './seed.ts';
import {
  apiKeyClient,
  importNew,
  nativeExport,
  sessionClient,
  waitForJob,
  type Client,
} from './test-helpers.ts';

const B = WORKFLOWS.banking;
let sandbox: SandboxHandle;
let key: Client;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, jobDelayMs: 5 });
  key = apiKeyClient(sandbox.url);
});
afterAll(() => sandbox.close());
beforeEach(() => sandbox.reset());

describe('native export', () => {
  it('holds exactly the three files; secure values blanked, push token gone, no keys/sharing/endpoint/audit logs; inline secrets travel', async () => {
    const { names, files, disposition } = await nativeExport(key, B.id, B.versions.v3);
    expect(names.sort()).toEqual(['app_definition.json', 'env_variables.json', 'flow_definition.json']);
    expect(disposition).toContain('Banking Assistant.zip');
    const text = JSON.stringify(files);
    for (const secret of [
      ...BANKING_MUST_NOT_LEAK.apiKeys,
      ...BANKING_MUST_NOT_LEAK.secureEnvValues,
      ...BANKING_MUST_NOT_LEAK.pushAccessToken,
    ]) {
      expect(text).not.toContain(secret);
    }
    for (const marker of [
      ...BANKING_MUST_NOT_LEAK.sharingEmails,
      ...BANKING_MUST_NOT_LEAK.endpointUrls,
      ...BANKING_MUST_NOT_LEAK.auditLogIds,
    ]) {
      expect(text).not.toContain(marker);
    }
    for (const inline of BANKING_MUST_NOT_LEAK.inlineSecrets) expect(text).toContain(inline);
    const app = files['app_definition.json']!;
    expect(app).toMatchObject({
      schemaVersion: '1.0',
      workflow: { name: 'Banking Assistant' },
      version: { id: B.versions.v3, name: 'v3 fraud checks' },
    });
    expect((app.execution as { async: { push: Record<string, unknown> } }).async.push).toEqual({
      callbackUrl: expect.stringMatching(/^https:/),
    });
    const env = files['env_variables.json'] as {
      variables: Array<{ name: string; value: string; secure: boolean }>;
    };
    expect(env.variables.filter((v) => v.secure).map((v) => [v.name, v.value])).toEqual([
      ['CRM_TOKEN', ''],
      ['PAYMENTS_SIGNING_KEY', ''],
    ]);
  });

  it('defaults to the deployed version, else the in-development one; file names are made safe', async () => {
    expect((await nativeExport(key, B.id)).files['app_definition.json']!.version).toMatchObject({
      id: B.versions.v2,
    });
    expect(
      (await nativeExport(key, WORKFLOWS.invoice.id)).files['app_definition.json']!.version,
    ).toMatchObject({ id: WORKFLOWS.invoice.versions.v1 });
    const { disposition } = await nativeExport(key, WORKFLOWS.onboarding.id);
    const star = decodeURIComponent(disposition!.match(/filename\*=UTF-8''(.+)$/)![1]!);
    expect(star).toBe('Onboarding _ KYC_ _Tier-1_ ✓ Ünïcode.zip');
  });

  it('the raw version record holds everything, secrets included', async () => {
    const raw = (await (
      await key.fetch(`/api/workflows/${B.id}/versions/${B.versions.v3}`)
    ).json()) as Record<string, Record<string, unknown>>;
    const text = JSON.stringify(raw);
    for (const secret of BANKING_SECRETS) expect(text).toContain(secret);
    expect(Object.keys(raw).sort()).toEqual(['app', 'env', 'flow', 'version', 'workflow']);
    expect((raw.workflow!.auditLogs as unknown[]).length).toBe(25);
    expect((raw.workflow!.sharing as unknown[]).length).toBe(4);
    expect(raw.workflow!.endpoint).toMatchObject({
      sync: expect.stringContaining(BANKING_MUST_NOT_LEAK.endpointUrls[0]!),
    });
    const types = new Set<string>();
    for (const v of Object.values(B.versions)) {
      const r = (await (await key.fetch(`/api/workflows/${B.id}/versions/${v}`)).json()) as {
        flow: { nodes: Array<{ type: string }> };
      };
      r.flow.nodes.forEach((n) => types.add(n.type));
    }
    expect([...types].sort()).toEqual([
      'ai',
      'api',
      'condition',
      'delay',
      'docSearch',
      'end',
      'function',
      'human',
      'integration',
      'loop',
      'start',
    ]);
  });

  it('the download needs authentication and export permission; fetched early, it waits for the job', async () => {
    const slow = await startSandbox({ port: 0, jobDelayMs: 400 });
    try {
      const slowKey = apiKeyClient(slow.url);
      const res = await slowKey.fetch(`/api/public/workflows/${B.id}/export`, { method: 'POST' });
      const pending = (await res.json()) as { dockStatusId: string; response: { downloadUrl: string } };
      const early = await slowKey.fetch(pending.response.downloadUrl);
      expect(early.status).toBe(200);
      expect(Object.keys(unzipSync(new Uint8Array(await early.arrayBuffer()))).sort()).toEqual([
        'app_definition.json',
        'env_variables.json',
        'flow_definition.json',
      ]);
      expect((await waitForJob(slowKey, pending.dockStatusId)).status).toBe('SUCCESS');
    } finally {
      await slow.close();
    }
    const res = await key.fetch(`/api/public/workflows/${B.id}/export`, { method: 'POST' });
    const started = (await res.json()) as {
      dockStatusId: string;
      exportJobId: string;
      response: { downloadUrl: string };
    };
    expect(started.exportJobId).toMatch(/^workflow-ej-/);
    await waitForJob(key, started.dockStatusId);
    expect((await fetch(started.response.downloadUrl)).status).toBe(401);
    const viewer = await sessionClient(sandbox.url, 'viewer');
    expect((await viewer.fetch(started.response.downloadUrl)).status).toBe(403);
    const owner = await sessionClient(sandbox.url, 'owner');
    const ok = await owner.fetch(started.response.downloadUrl);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/zip');
  });

  it('round trip: native export → native import → native export gives the same content (names and ids aside)', async () => {
    for (const [wf, version] of [
      [B.id, B.versions.v3],
      [WORKFLOWS.onboarding.id, WORKFLOWS.onboarding.versions.v2],
      [WORKFLOWS.claims.id, WORKFLOWS.claims.versions.v1],
    ] as const) {
      const first = await nativeExport(key, wf, version);
      const name = `Round trip ${version}`;
      const { job } = await importNew(key, name, {
        flow: first.files['flow_definition.json'],
        app: first.files['app_definition.json'],
        env: first.files['env_variables.json'],
      });
      expect(job?.status).toBe('SUCCESS');
      expect(job!.warnings!.every((w) => w.code === 'SECURE_VALUE_MISSING')).toBe(true);
      const second = await nativeExport(key, job!.workflowId);
      expect(second.files['flow_definition.json']).toEqual(first.files['flow_definition.json']);
      expect(second.files['env_variables.json']).toEqual(first.files['env_variables.json']);
      const strip = (app: Record<string, unknown>) => {
        const copy = structuredClone(app) as Record<string, Record<string, unknown>>;
        delete copy.workflow!.name;
        delete copy.version!.id;
        delete copy.version!.createdAt;
        return copy;
      };
      expect(strip(second.files['app_definition.json']!)).toEqual(strip(first.files['app_definition.json']!));
      expect(second.files['app_definition.json']!.workflow).toMatchObject({ name });
    }
  });

  it('a very long workflow name gives a file name that file systems take, cut by whole characters', async () => {
    const first = await nativeExport(key, B.id);
    const name = `Überlange Strecke ✓ ${'Ab. '.repeat(3000)}`;
    const { job } = await importNew(key, name, { flow: first.files['flow_definition.json'] });
    expect(job?.status).toBe('SUCCESS');
    const { disposition, status } = await nativeExport(key, job!.workflowId);
    expect(status).toBe(200);
    const fileName = decodeURIComponent(disposition!.match(/filename\*=UTF-8''(.+)$/)![1]!);
    expect(Buffer.byteLength(fileName)).toBeLessThanOrEqual(255);
    // Never ends in a dot or a space, which Windows refuses.
    expect(fileName).toMatch(/^Überlange Strecke ✓ (Ab\. )*Ab?\.zip$/);
  });

  it('Claims Flow 2000 is about 2,000 nodes and several MB', async () => {
    const { files } = await nativeExport(key, WORKFLOWS.claims.id);
    const flow = files['flow_definition.json'] as { nodes: unknown[] };
    expect(flow.nodes.length).toBe(2000);
    expect(JSON.stringify(flow, null, 2).length).toBeGreaterThan(3_000_000);
  });
});
