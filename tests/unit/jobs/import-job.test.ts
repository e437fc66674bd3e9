import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { PorterDatabase } from '../../../lib/store/db';
import {
  applyImport,
  checkImport,
  resumeImportJobs,
  type CheckAnswer,
  type ImportDeps,
} from '../../../lib/jobs/import-job';
import { isAnyJobRunning } from '../../../lib/jobs/runner';
import type { ImportJobRecord, JobRecord } from '../../../lib/jobs/records';
import type { ImportSnapshot } from '../../../lib/protocol';
import { PlatformError } from '../../../lib/platform/errors';
import type {
  ImportTarget,
  PackageFilesForImport,
  PlatformClient,
  StartedImport,
  WorkflowDetails,
} from '../../../lib/platform/types';
import { readPackageFiles } from '../../../lib/package/zip-read';
import { bankingFileText } from '../banking-package';
import { rawRecord } from './raw-record';

const ORIGIN = 'https://process.kore.ai';
const encoder = new TextEncoder();
const zip = () =>
  zipSync({
    'app_definition.json': encoder.encode(bankingFileText('app_definition.json')),
    'flow_definition.json': encoder.encode(bankingFileText('flow_definition.json')),
    'env_variables.json': encoder.encode(bankingFileText('env_variables.json')),
  });

let db: PorterDatabase;
let updates: ImportSnapshot[];
let started: { files: PackageFilesForImport; target: ImportTarget }[];
let downloads: string[];
let awaitImport: (started: StartedImport) => Promise<{ workflowId: string; warnings: [] }>;
let workflows: { id: string; name: string; description: string; status: string }[];

const details: WorkflowDetails = {
  workflow: {
    id: 'a-1',
    name: 'Banking Assistant',
    description: '',
    status: 'Deployed',
    deployedVersionId: 'cf-1',
    inDevelopmentVersionId: null,
    myRole: 'tool admin',
    permissions: { export: true, importVersion: true, deploy: true, delete: true },
  },
  versions: [{ id: 'cf-1', name: 'v2', state: 'deployed' }],
};

const client = {
  listWorkflows: async () => workflows,
  getWorkflow: async () => details,
  getVersionRecord: async () => rawRecord(),
  startImport: async (files: PackageFilesForImport, target: ImportTarget) => {
    started.push({ files, target });
    return { dockStatusId: 'dock-1', workflowId: 'a-new' };
  },
  awaitImport: (remote: StartedImport) => awaitImport(remote),
} as unknown as PlatformClient;

function deps(): ImportDeps {
  return {
    db,
    clientFor: () => client,
    downloads: {
      async download(_id, fileName) {
        downloads.push(fileName);
        return { downloadId: downloads.length };
      },
    },
    notifyImport: (job) => updates.push(job),
    fingerprintKey: async () => 'test-key',
    sleep: async () => undefined,
  };
}

async function settled() {
  for (let i = 0; i < 1000 && isAnyJobRunning(); i++) await new Promise((r) => setTimeout(r, 5));
}

async function checked(target: { kind: 'new' } | { kind: 'version'; workflowId: string } = { kind: 'new' }) {
  const answer = await checkImport(deps(), {
    origin: ORIGIN,
    tabId: 1,
    read: async () => ({ kind: 'zip', name: 'Banking Assistant.zip', bytes: zip() }),
    target,
  });
  if (!answer.ok) throw new Error(answer.summary);
  return answer as Extract<CheckAnswer, { ok: true }>;
}

const choices = (checkId: string, more: Partial<Parameters<typeof applyImport>[2]> = {}) => ({
  checkId,
  backup: false,
  envChoices: {},
  secureValues: {},
  ...more,
});

const stored = async (id: string) => (await db.jobs.get(id)) as ImportJobRecord;

beforeEach(() => {
  db = new PorterDatabase(`import-${Math.random()}`);
  updates = [];
  started = [];
  downloads = [];
  workflows = [];
  awaitImport = async () => ({ workflowId: 'a-new', warnings: [] });
});
afterEach(async () => {
  await settled();
  await db.delete();
});

describe('import job', () => {
  it('imports once, with the typed secure value in the upload and nowhere in the record', async () => {
    const check = await checked();
    const job = await applyImport(
      deps(),
      { origin: ORIGIN, tabId: 1 },
      choices(check.checkId, {
        secureValues: { CRM_TOKEN: 'typed-secret-9' },
      }),
    );
    await settled();
    expect(started).toHaveLength(1);
    expect(started[0]!.target).toEqual({ kind: 'new', name: 'Banking Assistant' });
    const env = readPackageFiles({
      'app_definition.json': started[0]!.files.app!,
      'flow_definition.json': started[0]!.files.flow,
      'env_variables.json': started[0]!.files.env!,
    }).content.env;
    expect(env.variables.find((v) => v.name === 'CRM_TOKEN')?.value).toBe('typed-secret-9');
    const record = await stored(job.id);
    expect(record).toMatchObject({ status: 'succeeded', remote: { dockStatusId: 'dock-1' } });
    expect(JSON.stringify(await db.jobs.toArray())).not.toContain('typed-secret-9');
    expect(JSON.stringify(updates)).not.toContain('typed-secret-9');
    expect(updates.at(-1)?.result?.url).toBe(`${ORIGIN}/workflows/a-new/flow`);
    // The check was used up: applying it again is refused, nothing is sent twice.
    await expect(applyImport(deps(), { origin: ORIGIN, tabId: 1 }, choices(check.checkId))).rejects.toThrow(
      /no longer known/,
    );
  });

  it('refuses a taken name before sending, and a check from another origin', async () => {
    workflows = [{ id: 'a-9', name: 'Banking Assistant', description: '', status: 'Deployed' }];
    const check = await checked();
    expect(check.plan.name).toBe('Banking Assistant (2)');
    await expect(
      applyImport(
        deps(),
        { origin: ORIGIN, tabId: 1 },
        choices(check.checkId, { name: 'banking assistant' }),
      ),
    ).rejects.toThrow(/already exists/);
    await expect(
      applyImport(deps(), { origin: 'https://evil.example', tabId: 1 }, choices(check.checkId)),
    ).rejects.toThrow(/no longer known/);
    expect(started).toEqual([]);
  });

  it('asks the account while the package is still unpacked; a package that arrived damaged is said so', async () => {
    const asked: string[] = [];
    const answer = await checkImport(
      { clientFor: () => ({ ...client, listWorkflows: async () => (asked.push('workflows'), workflows) }) },
      {
        origin: ORIGIN,
        tabId: 1,
        read: async () => {
          asked.push('package');
          return null;
        },
        target: { kind: 'new' },
      },
    );
    expect(asked).toEqual(['workflows', 'package']);
    expect(answer).toMatchObject({ ok: false, summary: 'The file could not be read.' });
  });

  it('a job the platform fails lists every problem in plain words', async () => {
    awaitImport = async () => {
      throw new PlatformError('IMPORT_FAILED', 'raw', {
        jobCode: 'MISSING_GUARDRAILS',
        details: [{ scanner: 'Ban Topics', path: 'guardrails.inputScanners[0]' }],
      });
    };
    const job = await applyImport(deps(), { origin: ORIGIN, tabId: 1 }, choices((await checked()).checkId));
    await settled();
    const last = updates.at(-1)!;
    expect(last.status).toBe('failed');
    expect(last.failure?.summary).toMatch(/not deployed in this account\. Nothing was imported\.$/);
    expect(last.failure?.problems[0]).toMatchObject({
      file: 'app_definition.json',
      place: 'input scanner 1',
    });
    expect((await stored(job.id)).error?.code).toBe('MISSING_GUARDRAILS');
  });

  it('backs up the current version first, as Exported_<Name>.zip, and stops when that fails', async () => {
    const check = await checked({ kind: 'version', workflowId: 'a-1' });
    await applyImport(deps(), { origin: ORIGIN, tabId: 1 }, choices(check.checkId, { backup: true }));
    await settled();
    expect(downloads).toEqual(['Exported_Banking Assistant.zip']);
    expect(started).toHaveLength(1);
    expect(updates.at(-1)?.backup?.fileName).toBe('Exported_Banking Assistant.zip');

    const failing = await checked({ kind: 'version', workflowId: 'a-1' });
    client.getVersionRecord = async () => {
      throw new PlatformError('SERVER', 'The platform reported an error.', { status: 500 });
    };
    await applyImport(deps(), { origin: ORIGIN, tabId: 1 }, choices(failing.checkId, { backup: true }));
    await settled();
    client.getVersionRecord = async () => rawRecord();
    expect(updates.at(-1)?.failure?.summary).toBe(
      'The backup of your current workflow failed, so nothing was imported.',
    );
    expect(started).toHaveLength(1);
  });

  it('keeps following through an expired session, telling the user to log in again', async () => {
    let calls = 0;
    awaitImport = async () => {
      if (++calls === 1) throw new PlatformError('UNAUTHENTICATED', 'expired', { status: 401 });
      return { workflowId: 'a-new', warnings: [] };
    };
    await applyImport(deps(), { origin: ORIGIN, tabId: 1 }, choices((await checked()).checkId));
    await settled();
    expect(updates.some((u) => /Log in again/.test(u.notice ?? ''))).toBe(true);
    expect(updates.at(-1)).toMatchObject({ status: 'succeeded' });
    expect(updates.at(-1)?.notice).toBeUndefined();
    expect(started).toHaveLength(1);
  });
});

describe('import job after a worker stop', () => {
  const now = new Date().toISOString();
  const base = {
    kind: 'import',
    origin: ORIGIN,
    tabId: 1,
    status: 'running',
    confirmed: true,
    attempts: 1,
    createdAt: now,
    updatedAt: now,
    target: { kind: 'new', name: 'Banking Assistant' },
  } as const;

  it('follows the platform job it had started and never sends the package again', async () => {
    await db.jobs.add({
      ...base,
      id: 'polling',
      key: 'k1',
      step: 'poll',
      remote: { dockStatusId: 'dock-7' },
    } as JobRecord);
    const asked: StartedImport[] = [];
    awaitImport = async (remote) => {
      asked.push(remote);
      return { workflowId: 'a-7', warnings: [] };
    };
    await resumeImportJobs(deps());
    await settled();
    expect(asked).toEqual([{ dockStatusId: 'dock-7' }]);
    expect(started).toEqual([]);
    expect((await stored('polling')).status).toBe('succeeded');
  });

  it('stopped before sending: ends, saying nothing was imported', async () => {
    await db.jobs.add({ ...base, id: 'early', key: 'k2', step: 'upload' } as JobRecord);
    await resumeImportJobs(deps());
    expect((await stored('early')).error?.message).toMatch(
      /before the package was sent, so nothing was imported/,
    );
    expect(started).toEqual([]);
  });

  it('stopped between sending and saving the answer: finds the new workflow by its name, or says none came', async () => {
    await db.jobs.add({ ...base, id: 'lost', key: 'k3', step: 'import' } as JobRecord);
    await resumeImportJobs(deps());
    await settled();
    expect((await stored('lost')).error?.message).toMatch(/no workflow "Banking Assistant" exists/);

    workflows = [{ id: 'a-5', name: 'Banking Assistant', description: '', status: 'In Development' }];
    await db.jobs.add({ ...base, id: 'found', key: 'k4', step: 'import' } as JobRecord);
    await resumeImportJobs(deps());
    await settled();
    expect(await stored('found')).toMatchObject({ status: 'succeeded', result: { workflowId: 'a-5' } });
    expect(started).toEqual([]);
  });
});
