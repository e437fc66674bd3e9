// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { ImportDialog, sourceFromFiles } from '../../../components/import/ImportDialog';
import { ImportEntry } from '../../../components/import/ImportEntry';
import type { ImportApi, ImportChoices } from '../../../components/import/api';
import type { ImportCheck, ImportPlanView, ImportSnapshot } from '../../../lib/protocol';

const plan = (changes: Partial<ImportPlanView> = {}): ImportPlanView => ({
  kind: 'version',
  packageName: 'Banking Assistant',
  name: 'Banking Assistant',
  nameTaken: false,
  envConflicts: [
    {
      name: 'BASE_URL',
      secure: false,
      packageValue: 'https://new.example',
      currentValue: 'https://old.example',
    },
    { name: 'CRM_TOKEN', secure: true },
  ],
  emptySecure: [
    { name: 'CRM_TOKEN', notes: 'CRM service token', fromRedaction: false },
    { name: 'PORTER_API0001_AUTHORIZATION', notes: 'from API0001', fromRedaction: true },
  ],
  dependencies: [
    {
      kind: 'guardrail',
      name: 'Ban Topics',
      severity: 'warning',
      message: 'Guardrail scanner "Ban Topics" must be deployed.',
    },
  ],
  blocking: [],
  ...changes,
});

const running = (changes: Partial<ImportSnapshot> = {}): ImportSnapshot => ({
  id: 'job-1',
  step: 'upload',
  status: 'running',
  target: { kind: 'version', name: 'Banking Assistant', workflowId: 'a-1' },
  ...changes,
});

function fakeApi(check: ImportCheck, overrides: Partial<ImportApi> = {}) {
  const applied: ImportChoices[] = [];
  const listeners = new Set<(job: ImportSnapshot) => void>();
  const api: ImportApi = {
    target: { kind: 'version', workflowId: 'a-1' },
    context: async () => ({ ok: true, data: { allowed: true } }),
    check: async () => ({ ok: true, data: check }),
    apply: async (choices) => {
      applied.push(choices);
      return { ok: true, data: running() };
    },
    cancel: async () => ({ ok: true, data: running({ status: 'cancelled' }) }),
    status: async () => ({ ok: true, data: running() }),
    current: async () => ({ ok: true, data: null }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ...overrides,
  };
  const push = (job: ImportSnapshot) =>
    act(() => {
      for (const listener of listeners) listener(job);
    });
  return { api, applied, push };
}

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
const button = (name: string) =>
  Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.trim() === name);
const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const text = () => document.body.textContent ?? '';

async function mount(api: ImportApi, more: { onClose?: () => void } = {}) {
  const root = document.createElement('div');
  document.body.append(root);
  await act(() =>
    render(
      <ImportDialog
        api={api}
        title="Porter: Import package"
        source={{ kind: 'cached', packageId: 'p-1' }}
        onClose={more.onClose ?? (() => undefined)}
      />,
      root,
    ),
  );
  await settle();
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('ImportDialog', () => {
  it('lists every problem with its file and place, and offers no Import', async () => {
    await mount(
      fakeApi({
        ok: false,
        summary: 'The package files do not have the expected shape.',
        problems: [
          { file: 'flow_definition.json', place: 'nodes[0].type', message: 'must not be empty' },
          { file: 'env_variables.json', message: 'is missing' },
        ],
      }).api,
    );
    const alert = document.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('Nothing was sent to the platform.');
    expect(Array.from(alert.querySelectorAll('li'), (li) => li.textContent)).toEqual([
      'flow_definition.json, nodes[0].type: must not be empty',
      'env_variables.json: is missing',
    ]);
    expect(button('Import')).toBeUndefined();
  });

  it('shows the plan: both values unless secure, Keep by default, the backup on; sends the typed values once', async () => {
    const { api, applied } = fakeApi({ ok: true, checkId: 'c-1', plan: plan(), notes: [], takenNames: [] });
    await mount(api);
    expect(text()).toContain('package: "https://new.example", current: "https://old.example"');
    expect(text()).toContain('(secure: values are not shown)');
    const keep = document.querySelectorAll<HTMLInputElement>('input[name="porter-env-BASE_URL"]')[0]!;
    expect(keep.checked).toBe(true);
    expect((document.querySelector('input[type="checkbox"]') as HTMLInputElement).checked).toBe(true);
    expect(text()).toContain('Made by AFP Porter for a secret it removed');
    expect(text()).toContain('Left empty: CRM_TOKEN, PORTER_API0001_AUTHORIZATION');

    const overwrite = document.querySelectorAll<HTMLInputElement>('input[name="porter-env-BASE_URL"]')[1]!;
    await act(() => overwrite.click());
    const secret = input('porter-secure-CRM_TOKEN');
    await act(() => {
      secret.value = 'typed-secret';
      secret.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(text()).toContain('Left empty: PORTER_API0001_AUTHORIZATION');
    await act(() => button('Import')!.click());
    await settle();
    expect(applied).toEqual([
      {
        checkId: 'c-1',
        backup: true,
        envChoices: { BASE_URL: 'overwrite', CRM_TOKEN: 'keep' },
        secureValues: { CRM_TOKEN: 'typed-secret' },
      },
    ]);
    expect(text()).toContain('Uploading the package…');
    expect(document.querySelector('input[type="password"]')).toBeNull();
  });

  it('says a typed name is taken before anything is sent, and blocks what cannot go ahead', async () => {
    const { api } = fakeApi({
      ok: true,
      checkId: 'c-1',
      plan: plan({
        kind: 'new',
        name: 'Banking Assistant (2)',
        nameTaken: true,
        envConflicts: [],
        emptySecure: [],
      }),
      notes: [],
      takenNames: ['Banking Assistant', 'Invoice Triage'],
    });
    await mount(api);
    expect(text()).toContain(
      '"Banking Assistant" is already taken in this account, so "Banking Assistant (2)" is proposed.',
    );
    expect(button('Import')!.disabled).toBe(false);
    const name = input('porter-import-name');
    await act(() => {
      name.value = ' invoice  triage ';
      name.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(text()).toContain('A workflow named "invoice  triage" already exists in this account.');
    expect(button('Import')!.disabled).toBe(true);

    document.body.innerHTML = '';
    await mount(
      fakeApi({
        ok: true,
        checkId: 'c-2',
        plan: plan({ blocking: ['"X" is not deployed.'] }),
        notes: [],
        takenNames: [],
      }).api,
    );
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('is not deployed');
    expect(button('Import')!.disabled).toBe(true);
  });

  it('ends with a link and the platform’s notes, or with every problem; Escape closes when nothing runs', async () => {
    const { api, push } = fakeApi({ ok: true, checkId: 'c-1', plan: plan(), notes: [], takenNames: [] });
    let closed = 0;
    await mount(api, { onClose: () => closed++ });
    document
      .querySelector('[role="dialog"]')!
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(closed).toBe(1);
    await act(() => button('Import')!.click());
    await settle();
    // Busy: Escape does not drop a running import.
    document
      .querySelector('[role="dialog"]')!
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(closed).toBe(1);
    await push(
      running({
        status: 'succeeded',
        step: 'poll',
        backup: { packageId: 'p-9', fileName: 'Exported_Banking Assistant.zip' },
        result: {
          workflowId: 'a-1',
          url: 'https://process.kore.ai/workflows/a-1/flow',
          warnings: ['Model "x" is missing.'],
        },
      }),
    );
    expect(text()).toContain('Imported as a new in-development version of "Banking Assistant".');
    expect(text()).toContain('backed up as Exported_Banking Assistant.zip');
    expect(document.querySelector('a')?.getAttribute('href')).toBe(
      'https://process.kore.ai/workflows/a-1/flow',
    );
    expect(text()).toContain('Model "x" is missing.');
  });

  it('reads one zip, or up to three JSON files, and refuses anything else in words', async () => {
    const zip = await sourceFromFiles([new File([new Uint8Array([80, 75, 3, 4])], 'Package.zip')]);
    // Handed to the worker by reference: the worker reads the file itself (tests/unit/protocol/bytes.test.ts).
    expect(zip).toMatchObject({
      kind: 'zip',
      name: 'Package.zip',
      bytes: { url: expect.stringMatching(/^blob:/) },
    });
    const json = await sourceFromFiles([
      new File(['{}'], 'app_definition.json'),
      new File(['{}'], 'callflow.json'),
    ]);
    expect(typeof json !== 'string' && json.kind).toBe('files');
    expect(await sourceFromFiles([new File(['x'], 'notes.txt')])).toMatch(/^Choose one package/);
  });
});

describe('ImportEntry', () => {
  it('is shown disabled, with the reason, before any click', async () => {
    const { api } = fakeApi(
      { ok: false, summary: '', problems: [] },
      {
        context: async () => ({
          ok: true,
          data: { allowed: false, reason: 'Your role (tool editor) cannot import a version.' },
        }),
      },
    );
    const root = document.createElement('div');
    document.body.append(root);
    await act(() => render(<ImportEntry api={api} label="Import package as a new version" />, root));
    await settle();
    const entry = button('P Import package as a new version')!;
    expect(entry.disabled).toBe(true);
    expect(document.getElementById(entry.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Your role (tool editor) cannot import a version.',
    );
  });
});
