/** Helpers for the sandbox's own tests (and handy for e2e/benchmarks): clients, uploads, job polling. */
import { strToU8, unzipSync, strFromU8 } from 'fflate';
import { MANAGEMENT_API_KEY, SANDBOX_PASSWORD, USERS, type SeedUserKey } from './seed.ts';

export interface Client {
  name: string;
  fetch(path: string, init?: RequestInit & { json?: unknown; csrf?: boolean }): Promise<Response>;
}

export function apiKeyClient(baseUrl: string, key = MANAGEMENT_API_KEY): Client {
  return {
    name: 'apiKey',
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('x-api-key', key);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(abs(baseUrl, path), { ...init, headers, body });
    },
  };
}

export async function sessionClient(
  baseUrl: string,
  user: SeedUserKey,
): Promise<Client & { cookie: string; csrfToken: string }> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: USERS[user].email, password: SANDBOX_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const session = (await (await fetch(`${baseUrl}/api/session`, { headers: { cookie } })).json()) as {
    csrfToken: string;
  };
  return {
    name: user,
    cookie,
    csrfToken: session.csrfToken,
    fetch: (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set('cookie', cookie);
      const method = (init.method ?? 'GET').toUpperCase();
      if (method !== 'GET' && init.csrf !== false) headers.set('x-csrf-token', session.csrfToken);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      return fetch(abs(baseUrl, path), { ...init, headers, body });
    },
  };
}

const abs = (base: string, path: string) => (path.startsWith('http') ? path : `${base}${path}`);

export async function upload(
  client: Client,
  name: string,
  content: string | Uint8Array | object,
): Promise<string> {
  const bytes =
    content instanceof Uint8Array
      ? content
      : strToU8(typeof content === 'string' ? content : JSON.stringify(content));
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/json' }), name);
  form.append('fileContext', 'bulkImport');
  const res = await client.fetch('/api/public/files', { method: 'POST', body: form });
  if (res.status !== 200) throw new Error(`upload failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { fileId: string }).fileId;
}

export interface JobView {
  _id: string;
  dockStatusId: string;
  workflowId: string;
  action: string;
  status: 'IN_PROGRESS' | 'SUCCESS' | 'FAILED';
  error?: { code: string; message: string; details?: unknown };
  warnings?: Array<{ code: string; message: string; details?: Record<string, unknown> }>;
  result?: Record<string, unknown>;
  versionId?: string;
  response?: { downloadUrl: string };
}

export async function waitForJob(client: Client, dockStatusId: string, timeoutMs = 5000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await client.fetch(`/api/public/dock-status/${dockStatusId}`);
    const job = (await res.json()) as JobView;
    if (job.status !== 'IN_PROGRESS') return job;
    if (Date.now() > deadline) throw new Error('job timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

export type PackageJson = Record<string, Record<string, unknown>>;

/** Runs a native export and returns the three parsed files (plus the raw zip and file name). */
export async function nativeExport(client: Client, workflowId: string, versionId?: string) {
  const res = await client.fetch(
    `/api/public/workflows/${workflowId}/export${versionId ? `?flowId=${versionId}` : ''}`,
    { method: 'POST' },
  );
  if (res.status !== 202) throw new Error(`export failed: ${res.status} ${await res.text()}`);
  const started = (await res.json()) as JobView;
  const job = await waitForJob(client, started.dockStatusId);
  if (job.status !== 'SUCCESS') throw new Error(`export job failed: ${JSON.stringify(job.error)}`);
  const download = await client.fetch(started.response!.downloadUrl);
  const zip = new Uint8Array(await download.arrayBuffer());
  const entries = unzipSync(zip);
  const files = Object.fromEntries(
    Object.entries(entries).map(([k, v]) => [k, JSON.parse(strFromU8(v)) as Record<string, unknown>]),
  );
  return {
    zip,
    files,
    names: Object.keys(entries),
    disposition: download.headers.get('content-disposition'),
    status: download.status,
  };
}

export async function importNew(
  client: Client,
  workflowName: string,
  files: { flow: unknown; app?: unknown; env?: unknown },
): Promise<{ status: number; body: JobView & { error?: { code: string } }; job?: JobView }> {
  const body: Record<string, string> = {
    workflowName,
    flowDataFileId: await upload(client, 'flow_definition.json', asBytes(files.flow)),
  };
  if (files.app !== undefined)
    body.workflowDataFileId = await upload(client, 'app_definition.json', asBytes(files.app));
  if (files.env !== undefined)
    body.envVariablesFileId = await upload(client, 'env_variables.json', asBytes(files.env));
  const res = await client.fetch('/api/public/workflows/import', { method: 'POST', json: body });
  const json = (await res.json()) as JobView;
  return {
    status: res.status,
    body: json,
    job: res.status === 202 ? await waitForJob(client, json.dockStatusId) : undefined,
  };
}

export async function importVersion(
  client: Client,
  workflowId: string,
  files: { flow: unknown; app: unknown; env: unknown },
  envConflicts?: Record<string, 'overwrite' | 'keep'>,
): Promise<{ status: number; body: JobView & { error?: { code: string } }; job?: JobView }> {
  const body: Record<string, unknown> = {
    flowDataFileId: await upload(client, 'flow_definition.json', asBytes(files.flow)),
    workflowDataFileId: await upload(client, 'app_definition.json', asBytes(files.app)),
    envVariablesFileId: await upload(client, 'env_variables.json', asBytes(files.env)),
  };
  if (envConflicts) body.envConflicts = envConflicts;
  const res = await client.fetch(`/api/public/workflows/${workflowId}/import`, {
    method: 'POST',
    json: body,
  });
  const json = (await res.json()) as JobView;
  return {
    status: res.status,
    body: json,
    job: res.status === 202 ? await waitForJob(client, json.dockStatusId) : undefined,
  };
}

function asBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  return strToU8(typeof value === 'string' ? value : JSON.stringify(value));
}
