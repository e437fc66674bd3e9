/**
 * Both clients against a scripted fetch: the documentation's quirks and failure shapes the sandbox does not
 * produce on its own (the `dock-statusId` spelling, the `/workflow/` export path, odd bodies, hangs).
 */
import { describe, expect, it } from 'vitest';
import { createPublicClient } from '../../../lib/platform/public-client.ts';
import { createSessionClient } from '../../../lib/platform/session-client.ts';
import { ZIP_BYTES, createFakeFetch, errorBody, hang, json } from './fake-fetch.ts';
import { failure } from './failure';

const BASE = 'https://afp.example';
const KEY = 'kg-test-key';
const noSleep = async () => undefined;

describe('public client (scripted fetch)', () => {
  it('exports through the documented /workflow/ spelling and dock-statusId after a 404', async () => {
    let polls = 0;
    const { fetch, calls } = createFakeFetch({
      'POST /api/public/workflow/a-1/export': () =>
        json({
          'dock-statusId': 'ds-1',
          workflowId: 'a-1',
          status: 'IN_PROGRESS',
          response: { downloadUrl: ' /dl/1.zip' },
        }),
      'GET /api/public/dock-status/ds-1': () =>
        json({ _id: 'ds-1', status: ++polls < 3 ? 'IN_PROGRESS' : 'SUCCESS' }),
      'GET /dl/1.zip': () => new Response(ZIP_BYTES),
    });
    const client = createPublicClient({ baseUrl: BASE, apiKey: KEY, fetch, sleep: noSleep });
    const bytes = await client.exportNativePackage('a-1', 'cf-9');
    expect([...bytes]).toEqual([...ZIP_BYTES]);
    expect(calls[0]!.url.pathname).toBe('/api/public/workflows/a-1/export');
    expect(calls[1]!.url.pathname).toBe('/api/public/workflow/a-1/export');
    expect(calls[1]!.url.searchParams.get('flowId')).toBe('cf-9');
    expect(polls).toBe(3);
    for (const call of calls) {
      expect(call.headers.get('x-api-key')).toBe(KEY);
      expect(call.credentials).toBe('omit');
    }
    // The route that worked is remembered.
    await client.exportNativePackage('a-1');
    expect(calls.filter((call) => call.url.pathname.includes('/export')).length).toBe(3);
  });

  it('never sends the API key to another origin and refuses a download that is not a zip', async () => {
    const storage = 'https://storage.example/bucket/x.zip';
    const { fetch, calls } = createFakeFetch({
      'POST /api/public/workflows/a-1/export': () =>
        json({ dockStatusId: 'ds-1', status: 'SUCCESS', response: { downloadUrl: storage } }),
      'GET /bucket/x.zip': () => new Response('<html>login</html>'),
    });
    const client = createPublicClient({ baseUrl: BASE, apiKey: KEY, fetch, sleep: noSleep });
    const error = await failure(client.exportNativePackage('a-1'));
    expect(error.code).toBe('BAD_RESPONSE');
    const download = calls.find((call) => call.url.origin === 'https://storage.example')!;
    expect(download.headers.get('x-api-key')).toBeNull();
  });

  it('drops the API key when a redirect leaves the platform, and keeps it on the platform', async () => {
    const { fetch, calls } = createFakeFetch({
      'POST /api/public/workflows/a-1/export': () =>
        json({ dockStatusId: 'ds-1', status: 'SUCCESS', response: { downloadUrl: '/dl/a' } }),
      'GET /dl/a': () => new Response(null, { status: 302, headers: { location: '/dl/b' } }),
      'GET /dl/b': () =>
        new Response(null, { status: 307, headers: { location: 'https://storage.example/blob/c.zip' } }),
      'GET /blob/c.zip': () => new Response(ZIP_BYTES),
    });
    const client = createPublicClient({ baseUrl: BASE, apiKey: KEY, fetch, sleep: noSleep });
    expect((await client.exportNativePackage('a-1')).length).toBe(ZIP_BYTES.length);
    const byPath = new Map(calls.map((call) => [call.url.pathname, call.headers.get('x-api-key')]));
    expect(byPath.get('/dl/a')).toBe(KEY);
    expect(byPath.get('/dl/b')).toBe(KEY);
    expect(byPath.get('/blob/c.zip')).toBeNull();
  });

  it('asks about a running job soon, then ever less often, never less often than the longest pause', async () => {
    let polls = 0;
    const { fetch } = createFakeFetch({
      'POST /api/public/workflows/a-1/export': () => json({ dockStatusId: 'ds-1', status: 'IN_PROGRESS' }),
      'GET /api/public/dock-status/ds-1': () =>
        json({ status: ++polls < 16 ? 'IN_PROGRESS' : 'SUCCESS', response: { downloadUrl: '/dl/1.zip' } }),
      'GET /dl/1.zip': () => new Response(ZIP_BYTES),
    });
    const pauses: number[] = [];
    const client = createPublicClient({
      baseUrl: BASE,
      apiKey: KEY,
      fetch,
      pollIntervalMs: 25,
      pollMaxIntervalMs: 400,
      sleep: async (ms) => {
        pauses.push(Math.round(ms));
      },
    });
    await client.exportNativePackage('a-1');
    // The waits a short job ends in stay close together; a long job is asked every 400 ms.
    expect(pauses).toEqual([25, 31, 39, 49, 61, 76, 95, 119, 149, 186, 233, 291, 364, 400, 400]);
  });

  it('bounds polling by an overall timeout', async () => {
    let clock = 0;
    const { fetch } = createFakeFetch({
      'POST /api/public/workflows/a-1/export': () => json({ dockStatusId: 'ds-1', status: 'IN_PROGRESS' }),
      'GET /api/public/dock-status/ds-1': () => json({ status: 'IN_PROGRESS' }),
    });
    const client = createPublicClient({
      baseUrl: BASE,
      apiKey: KEY,
      fetch,
      pollIntervalMs: 1000,
      pollTimeoutMs: 5000,
      now: () => clock,
      sleep: async (ms) => {
        clock += ms;
      },
    });
    const error = await failure(client.exportNativePackage('a-1'));
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('cancels polling through the signal', async () => {
    const controller = new AbortController();
    const { fetch } = createFakeFetch({
      'POST /api/public/workflows/a-1/export': () => json({ dockStatusId: 'ds-1', status: 'IN_PROGRESS' }),
      'GET /api/public/dock-status/ds-1': () => {
        controller.abort();
        return json({ status: 'IN_PROGRESS' });
      },
    });
    const client = createPublicClient({
      baseUrl: BASE,
      apiKey: KEY,
      fetch,
      signal: controller.signal,
      pollIntervalMs: 10,
    });
    expect((await failure(client.exportNativePackage('a-1'))).code).toBe('CANCELLED');
  });

  it('times out a request that never answers', async () => {
    const { fetch } = createFakeFetch({ 'GET /api/workflows': hang });
    const client = createPublicClient({ baseUrl: BASE, apiKey: KEY, fetch, timeoutMs: 50 });
    const error = await failure(client.listWorkflows());
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/did not answer/);
  });

  it('maps a thrown fetch to NETWORK, retryable', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    }) as typeof globalThis.fetch;
    const client = createPublicClient({ baseUrl: BASE, apiKey: KEY, fetch });
    const error = await failure(client.exportNativePackage('a-1'));
    expect(error.code).toBe('NETWORK');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('rejects answers it does not understand as BAD_RESPONSE', async () => {
    const { fetch } = createFakeFetch({
      'POST /api/public/files': () => new Response('not json', { status: 200 }),
      'POST /api/public/workflows/a-1/export': () => json({ status: 'IN_PROGRESS' }),
    });
    const client = createPublicClient({ baseUrl: BASE, apiKey: KEY, fetch });
    expect(
      (await failure(client.importPackage({ flow: new Uint8Array([123, 125]) }, { kind: 'new', name: 'X' })))
        .code,
    ).toBe('BAD_RESPONSE');
    expect((await failure(client.exportNativePackage('a-1'))).code).toBe('BAD_RESPONSE');
  });

  it('uploads each file as multipart, imports as a version with env conflicts, and returns warnings', async () => {
    const uploads: { name: string; context: string }[] = [];
    const { fetch, calls } = createFakeFetch({
      'POST /api/public/files': (call) => {
        const form = call.body as FormData;
        const file = form.get('file') as File;
        uploads.push({ name: file.name, context: String(form.get('fileContext')) });
        return json({ fileId: `f${uploads.length}`, url: 'x' });
      },
      'POST /api/public/workflows/a-1/import': () =>
        json({ dockStatusId: 'ds-2', workflowId: 'a-1', status: 'IN_PROGRESS' }, 202),
      'GET /api/public/dock-status/ds-2': () =>
        json({
          _id: 'ds-2',
          status: 'SUCCESS',
          warnings: [
            { code: 'MODEL_NOT_FOUND', message: 'gpt-5 is missing', details: { node: 'AI0001' } },
            'plain text',
          ],
        }),
    });
    const client = createPublicClient({ baseUrl: BASE, apiKey: KEY, fetch, sleep: noSleep });
    const bytes = new TextEncoder().encode('{}');
    const result = await client.importPackage(
      { flow: bytes, app: bytes, env: bytes },
      { kind: 'version', workflowId: 'a-1', envConflicts: { CRM_TOKEN: 'keep', BASE_URL: 'overwrite' } },
    );
    expect(uploads).toEqual([
      { name: 'flow_definition.json', context: 'bulkImport' },
      { name: 'app_definition.json', context: 'bulkImport' },
      { name: 'env_variables.json', context: 'bulkImport' },
    ]);
    const start = calls.find((call) => call.url.pathname.endsWith('/import'))!;
    expect(start.body).toEqual({
      flowDataFileId: 'f1',
      workflowDataFileId: 'f2',
      envVariablesFileId: 'f3',
      envConflicts: { CRM_TOKEN: 'keep', BASE_URL: 'overwrite' },
    });
    expect(result.workflowId).toBe('a-1');
    expect(result.warnings).toEqual([
      { code: 'MODEL_NOT_FOUND', message: 'gpt-5 is missing', details: { node: 'AI0001' } },
      { code: 'WARNING', message: 'plain text' },
    ]);
  });

  it('turns a FAILED import job into IMPORT_FAILED with the job code and details', async () => {
    const { fetch } = createFakeFetch({
      'POST /api/public/files': () => json({ fileId: 'f1' }),
      'POST /api/public/workflows/import': () =>
        json({ dockStatusId: 'ds-3', workflowId: 'a-new', status: 'IN_PROGRESS' }, 202),
      'GET /api/public/dock-status/ds-3': () =>
        json({
          status: 'FAILED',
          error: {
            code: 'SCHEMA_MISMATCH',
            message: 'nodes[0].type is required',
            details: { paths: ['nodes[0].type'] },
          },
        }),
    });
    const client = createPublicClient({ baseUrl: BASE, apiKey: KEY, fetch, sleep: noSleep });
    const error = await failure(
      client.importPackage({ flow: new Uint8Array([123, 125]) }, { kind: 'new', name: 'X' }),
    );
    expect(error.code).toBe('IMPORT_FAILED');
    expect(error.jobCode).toBe('SCHEMA_MISMATCH');
    expect(error.details).toEqual({ paths: ['nodes[0].type'] });
    expect(error.message).toContain('nodes[0].type is required');
  });

  it('maps NAME_EXISTS at the start of an import', async () => {
    const { fetch } = createFakeFetch({
      'POST /api/public/files': () => json({ fileId: 'f1' }),
      'POST /api/public/workflows/import': () => errorBody(409, 'NAME_EXISTS', 'A workflow named X exists.'),
    });
    const client = createPublicClient({ baseUrl: BASE, apiKey: KEY, fetch });
    expect(
      (await failure(client.importPackage({ flow: new Uint8Array([1]) }, { kind: 'new', name: 'X' }))).code,
    ).toBe('NAME_EXISTS');
  });

  it('says clearly when a host does not list workflows through the public API', async () => {
    const { fetch } = createFakeFetch({
      'GET /api/workflows': () => new Response('<html>Not Found</html>', { status: 404 }),
    });
    const client = createPublicClient({ baseUrl: BASE, apiKey: KEY, fetch });
    const error = await failure(client.listWorkflows());
    expect(error.code).toBe('NOT_SUPPORTED');
    expect(error.message).toMatch(/pass the workflow ID \(a-…\)/);
    expect((await failure(client.getVersionRecord('a-1', 'cf-1'))).code).toBe('NOT_SUPPORTED');
  });

  it('refuses a version import without all three files, before uploading anything', async () => {
    const { fetch, calls } = createFakeFetch({});
    const client = createPublicClient({ baseUrl: BASE, apiKey: KEY, fetch });
    const error = await failure(
      client.importPackage({ flow: new Uint8Array([1]) }, { kind: 'version', workflowId: 'a-1' }),
    );
    expect(error.code).toBe('INVALID');
    expect(calls).toHaveLength(0);
  });
});

describe('session client (scripted fetch)', () => {
  function sessionRoutes(state: { token: string; sessionReads: number }) {
    return {
      'GET /api/session': () => {
        state.sessionReads += 1;
        return json({
          user: { id: 'u-1', email: 'e@x', name: 'E' },
          account: { id: 'acc', name: 'Bank', role: 'Member' },
          csrfToken: state.token,
        });
      },
    };
  }

  it('fetches the CSRF token once, sends it on every mutation, and refetches once when refused', async () => {
    const state = { token: 't1', sessionReads: 0 };
    const { fetch, calls } = createFakeFetch({
      ...sessionRoutes(state),
      'POST /api/public/files': (call) =>
        call.headers.get('x-csrf-token') === state.token
          ? json({ fileId: 'f1' })
          : errorBody(403, 'FORBIDDEN', 'Missing or invalid CSRF token.', { reason: 'CSRF' }),
      'POST /api/public/workflows/import': (call) =>
        call.headers.get('x-csrf-token') === state.token
          ? json({ dockStatusId: 'ds-1', workflowId: 'a-9', status: 'SUCCESS' })
          : errorBody(403, 'FORBIDDEN', 'Missing or invalid CSRF token.', { reason: 'CSRF' }),
    });
    const client = createSessionClient({ baseUrl: BASE, fetch, sleep: noSleep });
    const result = await client.importPackage({ flow: new Uint8Array([1]) }, { kind: 'new', name: 'X' });
    expect(result.workflowId).toBe('a-9');
    expect(state.sessionReads).toBe(1);
    for (const call of calls) expect(call.credentials).toBe('include');

    state.token = 't2'; // rotated on the server
    await client.importPackage({ flow: new Uint8Array([1]) }, { kind: 'new', name: 'Y' });
    expect(state.sessionReads).toBe(2);
    const refused = calls.filter(
      (call) => call.method === 'POST' && call.headers.get('x-csrf-token') === 't1',
    );
    expect(refused.length).toBe(3); // 2 from the first import, 1 refused attempt after the rotation
  });

  it('gives up after one CSRF refresh', async () => {
    const state = { token: 't1', sessionReads: 0 };
    const { fetch } = createFakeFetch({
      ...sessionRoutes(state),
      'POST /api/public/workflows/a-1/export': () =>
        errorBody(403, 'FORBIDDEN', 'Missing or invalid CSRF token.', { reason: 'CSRF' }),
    });
    const client = createSessionClient({ baseUrl: BASE, fetch });
    const error = await failure(client.exportNativePackage('a-1'));
    expect(error.code).toBe('FORBIDDEN');
    expect(state.sessionReads).toBe(2);
  });

  it('validates the details it hands on and passes the raw record through', async () => {
    const { fetch } = createFakeFetch({
      'GET /api/workflows/a-1': () =>
        json({
          workflow: {
            id: 'a-1',
            name: 'W',
            description: null,
            status: 'Deployed',
            deployedVersionId: 'cf-2',
            myRole: 'tool editor',
            permissions: { export: true, importVersion: false, deploy: true, delete: false },
            extra: 'kept out',
          },
          versions: [{ id: 'cf-2', name: 'v2', state: 'deployed' }],
        }),
      'GET /api/workflows/a-1/versions/cf-2': () => json({ anything: ['goes'] }),
      'GET /api/workflows': () => json({ workflows: [{ id: 'a-1' }] }),
    });
    const client = createSessionClient({ baseUrl: BASE, fetch });
    const details = await client.getWorkflow('a-1');
    expect(details.workflow).toEqual({
      id: 'a-1',
      name: 'W',
      description: '',
      status: 'Deployed',
      deployedVersionId: 'cf-2',
      inDevelopmentVersionId: null,
      myRole: 'tool editor',
      permissions: { export: true, importVersion: false, deploy: true, delete: false },
    });
    expect(await client.getVersionRecord('a-1', 'cf-2')).toEqual({ anything: ['goes'] });
    const error = await failure(client.listWorkflows());
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toMatch(/workflows\.0\.name/);
  });

  it('keeps a path prefix of the base URL', async () => {
    const { fetch, calls } = createFakeFetch({
      'GET /prefix/api/workflows': () => json({ workflows: [] }),
    });
    const client = createSessionClient({ baseUrl: `${BASE}/prefix`, fetch });
    expect(await client.listWorkflows()).toEqual([]);
    expect(calls[0]!.url.pathname).toBe('/prefix/api/workflows');
  });
});
