import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleMessage, type RouterDeps } from '../../../lib/worker/router';
import { PorterDatabase } from '../../../lib/store/db';
import { runExportJob } from '../../../lib/jobs/export-job';
import type { PlatformClient, WorkflowDetails } from '../../../lib/platform/types';
import { rawRecord } from '../jobs/raw-record';

const EXTENSION_ID = 'porter-id';
const EXTENSION_ORIGIN = 'chrome-extension://porter-id';
const PLATFORM = 'https://process.kore.ai';

const details: WorkflowDetails = {
  workflow: {
    id: 'a-1',
    name: 'Banking Assistant',
    description: '',
    status: 'Deployed',
    deployedVersionId: 'cf-2',
    inDevelopmentVersionId: 'cf-3',
    myRole: 'tool viewer',
    permissions: { export: false, importVersion: false, deploy: false, delete: false },
  },
  versions: [
    { id: 'cf-2', name: 'v2', state: 'deployed' },
    { id: 'cf-3', name: 'v3', state: 'in-development' },
  ],
};

let db: PorterDatabase;
let asked: string[];
let deps: RouterDeps;

beforeEach(() => {
  db = new PorterDatabase(`router-${Math.random()}`);
  asked = [];
  const client = {
    getWorkflow: async (id: string) => {
      asked.push(`workflow ${id}`);
      return details;
    },
    getVersionRecord: async () => rawRecord(),
  } as unknown as PlatformClient;
  deps = {
    db,
    extensionId: EXTENSION_ID,
    extensionOrigin: EXTENSION_ORIGIN,
    clientFor: (origin) => {
      asked.push(`client ${origin}`);
      return client;
    },
    downloads: {
      download: async () => ({ downloadId: 1 }),
      downloadArchive: async () => ({ downloadId: 2 }),
    },
    notify: () => undefined,
    notifyImport: () => undefined,
    fingerprintKey: async () => 'test-installation-key',
    isOriginAllowed: async (origin) => origin === PLATFORM,
    openViewer: async () => undefined,
  };
});
afterEach(() => db.delete());

const fromPage = { id: EXTENSION_ID, url: `${PLATFORM}/workflows/a-1/configurations`, tabId: 3 };

describe('worker router', () => {
  it('answers a content script on a granted host, acting on the sender’s origin', async () => {
    const answer = await handleMessage({ type: 'workflow:get', workflowId: 'a-1' }, fromPage, deps);
    expect(answer).toMatchObject({
      ok: true,
      data: { name: 'Banking Assistant', canExport: false, myRole: 'tool viewer' },
    });
    expect(asked).toEqual([`client ${PLATFORM}`, 'workflow a-1']);
  });

  it('lets a page decide only about exports started from its own origin', async () => {
    const started = await handleMessage(
      { type: 'export:start', workflowId: 'a-1', versionId: 'cf-1' },
      fromPage,
      deps,
    );
    expect(started).toMatchObject({ ok: true, data: { status: 'running', confirmed: false } });
    const jobId = (started as { data: { id: string } }).data.id;
    const otherHost = { ...fromPage, url: 'https://other.kore.ai/workflows/a-1' };
    deps.isOriginAllowed = async () => true;
    expect(await handleMessage({ type: 'export:confirm', jobId }, otherHost, deps)).toMatchObject({
      ok: false,
      error: { code: 'NOT_ALLOWED_ORIGIN' },
    });
    expect(await handleMessage({ type: 'export:cancel', jobId }, fromPage, deps)).toMatchObject({
      ok: true,
      data: { status: 'cancelled' },
    });
    await runExportJob(deps, jobId);
    expect(await db.packages.count()).toBe(0);
  });

  it('refuses other extensions and pages on hosts it was not granted', async () => {
    const message = { type: 'workflow:get', workflowId: 'a-1' };
    for (const sender of [
      { ...fromPage, id: 'someone-else' },
      { ...fromPage, url: 'https://evil.example/workflows/a-1' },
      { id: EXTENSION_ID, tabId: 3 },
    ]) {
      expect(await handleMessage(message, sender, deps)).toMatchObject({
        ok: false,
        error: { code: 'NOT_ALLOWED_ORIGIN' },
      });
    }
    expect(asked).toEqual([]);
  });

  it('ignores messages that are not part of the protocol', async () => {
    expect(await handleMessage({ type: 'workflow:get' }, fromPage, deps)).toBeUndefined();
    expect(await handleMessage('hello', fromPage, deps)).toBeUndefined();
    expect(
      await handleMessage(
        { type: 'export:start', workflowId: 'a-1', versionId: 'x'.repeat(500) },
        fromPage,
        deps,
      ),
    ).toBeUndefined();
  });

  it('starts exports only from the platform page, not from extension pages', async () => {
    const answer = await handleMessage(
      { type: 'export:start', workflowId: 'a-1', versionId: 'cf-1' },
      { id: EXTENSION_ID, url: `${EXTENSION_ORIGIN}/viewer.html` },
      deps,
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED_ORIGIN' } });
  });

  it('reports an unknown job clearly', async () => {
    const answer = await handleMessage({ type: 'export:status', jobId: 'nope' }, fromPage, deps);
    expect(answer).toMatchObject({ ok: false, error: { code: 'NO_SUCH_JOB' } });
  });

  it('saves a cached package again for the extension’s own pages only, from the cache', async () => {
    const saved: string[] = [];
    deps.downloads = {
      ...deps.downloads,
      download: async (packageId, fileName) => {
        saved.push(`${packageId} ${fileName}`);
        return { downloadId: 2, savedAs: 'Banking Assistant (1).zip' };
      },
    };
    await db.packages.put({
      id: 'p-1',
      origin: PLATFORM,
      workflowId: 'a-1',
      workflowName: 'Banking Assistant',
      versionId: 'cf-2',
      versionName: 'v2',
      versionState: 'deployed',
      fileName: 'Banking Assistant.zip',
      size: 1,
      sha256: '0'.repeat(64),
      createdAt: '2026-01-01T00:00:00.000Z',
      report: { items: [], variables: [] },
    });
    // Node gives chrome-extension:// URLs an opaque origin; browsers do not. An origin Node reads stands in.
    deps.extensionOrigin = 'https://porter-id.extension.invalid';
    const popup = { id: EXTENSION_ID, url: `${deps.extensionOrigin}/popup.html` };
    expect(await handleMessage({ type: 'package:download', packageId: 'p-1' }, popup, deps)).toEqual({
      ok: true,
      data: { savedAs: 'Banking Assistant (1).zip' },
    });
    expect(await handleMessage({ type: 'package:download', packageId: 'p-1' }, fromPage, deps)).toMatchObject(
      { ok: false, error: { code: 'NOT_ALLOWED_ORIGIN' } },
    );
    expect(await handleMessage({ type: 'package:download', packageId: 'gone' }, popup, deps)).toMatchObject({
      ok: false,
      error: { code: 'DOWNLOAD_FAILED', message: 'This package is not in the cache any more.' },
    });
    expect(saved).toEqual(['p-1 Banking Assistant.zip']);
    expect(asked).toEqual([]);
  });
});

describe('worker router: what a page could forge', () => {
  it('ignores malformed messages without touching the platform', async () => {
    const forged: unknown[] = [
      null,
      42,
      ['workflow:get', 'a-1'],
      { type: 'workflow:get', workflowId: 42 },
      { type: 'workflow:get', workflowId: { toString: () => 'a-1' } },
      { type: 'WORKFLOW:GET', workflowId: 'a-1' },
      { type: 'export:start', workflowId: '', versionId: 'cf-1' },
      JSON.parse('{"type":"export:confirm","jobId":{"__proto__":{"ok":true}}}'),
    ];
    for (const message of forged) {
      expect(await handleMessage(message, fromPage, deps), JSON.stringify(message)).toBeUndefined();
    }
    expect(asked).toEqual([]);
    expect(await db.jobs.count()).toBe(0);
  });

  it('takes nothing from a message’s prototype: a forged "confirmed" does not skip the dependency check', async () => {
    const forged = Object.assign(Object.create({ confirmed: true, status: 'succeeded' }), {
      type: 'export:start',
      workflowId: 'a-1',
      versionId: 'cf-1',
    });
    expect(await handleMessage(forged, fromPage, deps)).toMatchObject({
      ok: true,
      data: { status: 'running', confirmed: false },
    });
  });

  it('refuses a sender that is not a web page of a granted host (a file, a blank or data page)', async () => {
    for (const url of ['file:///home/user/export.html', 'about:blank', 'data:text/html,hi']) {
      const answer = await handleMessage(
        { type: 'workflow:get', workflowId: 'a-1' },
        { ...fromPage, url },
        deps,
      );
      expect(answer, url).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED_ORIGIN' } });
    }
    expect(asked).toEqual([]);
  });
});
