import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../sandbox/server';
import { SANDBOX_PASSWORD, USERS, WORKFLOWS } from '../../sandbox/seed';
import { createSessionClient } from '../../../lib/platform/session-client';
import { createCookieFetch } from '../../../lib/platform/cookie-fetch';
import { rawVersionRecordSchema } from '../../../lib/package/schemas';
import { findDependencies } from '../../../lib/package/dependencies';

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let dependenciesOf: (versionId: string) => Promise<ReturnType<typeof findDependencies>>;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const client = createSessionClient({ baseUrl: sandbox.url, fetch: createCookieFetch() });
  await client.login(USERS.editor.email, SANDBOX_PASSWORD);
  dependenciesOf = async (versionId) =>
    findDependencies(
      rawVersionRecordSchema.parse(await client.getVersionRecord(WORKFLOWS.banking.id, versionId)),
    );
});
afterAll(() => sandbox.close());

describe('findDependencies', () => {
  it('lists the models, linked workflows, custom scripts and guardrails a version needs, once each', async () => {
    const all = await Promise.all(Object.values(WORKFLOWS.banking.versions).map(dependenciesOf));
    const kinds = new Set(all.flat().map((d) => d.kind));
    expect(kinds).toEqual(new Set(['model', 'linkedWorkflow', 'customScript', 'guardrail']));
    for (const list of all) {
      const keys = list.map((d) => `${d.kind}:${d.name}`);
      expect(new Set(keys).size).toBe(keys.length);
    }
    const v3 = await dependenciesOf(WORKFLOWS.banking.versions.v3);
    expect(v3).toContainEqual({ kind: 'customScript', name: 'kyc-utils' });
    expect(v3.filter((d) => d.kind === 'model').map((d) => d.name)).toContain('gpt-4o');
    // Grouped by kind in the order the check shows them.
    const order = v3.map((d) => d.kind);
    expect(order).toEqual(
      [...order].sort(
        (a, b) =>
          ['model', 'linkedWorkflow', 'customScript', 'guardrail'].indexOf(a) -
          ['model', 'linkedWorkflow', 'customScript', 'guardrail'].indexOf(b),
      ),
    );
  });

  it('finds nothing in a workflow with only a Start and an End node', () => {
    expect(
      findDependencies({
        app: {
          schemaVersion: '1.0',
          workflow: { name: 'x', description: '' },
          version: { name: 'v' },
          io: { inputs: [], outputs: [] },
        },
        flow: { schemaVersion: '1.0', nodes: [] },
      }),
    ).toEqual([]);
  });
});
