// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { BulkExportPanel, type BulkExportApi } from '../../../components/bulk/BulkExportPanel';
import type { BulkList, BulkSnapshot } from '../../../lib/protocol';

const list: BulkList = {
  account: { name: 'Sandbox Bank' },
  workflows: [
    {
      id: 'a-1',
      name: 'Banking Assistant',
      status: 'Deployed',
      myRole: 'tool viewer',
      canExport: false,
      reason: 'Your role (tool viewer) may not export this workflow; the editor role or above can.',
    },
    { id: 'a-2', name: 'Lending Router 001', status: 'Deployed', myRole: 'tool editor', canExport: true },
    {
      id: 'a-3',
      name: 'Claims Router 002',
      status: 'In Development',
      myRole: 'tool editor',
      canExport: true,
    },
    {
      id: 'a-4',
      name: '<img src=x onerror=alert(1)>',
      status: 'Deployed',
      myRole: 'tool editor',
      canExport: true,
    },
  ],
};

const snapshot = (job: Partial<BulkSnapshot> = {}): BulkSnapshot => ({
  id: 'bulk-1',
  step: 'export',
  status: 'running',
  archiveName: 'Sandbox Bank workflows 2026-12-02.zip',
  workflows: [
    { workflowId: 'a-2', name: 'Lending Router 001', state: 'exported', versionName: 'v1', redactions: 5 },
    { workflowId: 'a-3', name: 'Claims Router 002', state: 'exporting' },
  ],
  ...job,
});

function fakeApi(overrides: Partial<BulkExportApi> = {}) {
  const listeners = new Set<(job: BulkSnapshot) => void>();
  const started: string[][] = [];
  const cancelled: string[] = [];
  const api: BulkExportApi = {
    list: async () => ({ ok: true, data: list }),
    start: async (ids) => {
      started.push(ids);
      return { ok: true, data: snapshot() };
    },
    cancel: async (jobId) => {
      cancelled.push(jobId);
      return { ok: true, data: snapshot({ status: 'cancelled' }) };
    },
    status: async () => ({ ok: true, data: snapshot() }),
    current: async () => ({ ok: true, data: null }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ...overrides,
  };
  const push = (job: Partial<BulkSnapshot>) =>
    act(() => {
      for (const listener of listeners) listener(snapshot(job));
    });
  return { api, started, cancelled, push };
}

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
const button = (name: string) =>
  Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.trim() === name) as
    HTMLButtonElement | undefined;
const checkbox = (label: string) =>
  document.querySelector(`input[aria-label="Export ${label}"]`) as HTMLInputElement;
const click = (element: HTMLElement | undefined) => act(() => element!.click());

async function mount(api: BulkExportApi) {
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<BulkExportPanel api={api} />, root));
  await settle();
}

async function openPicker(api: BulkExportApi) {
  await mount(api);
  await click(button('Export several…'));
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('BulkExportPanel', () => {
  it('is not shown at all to someone who may export none of the workflows', async () => {
    const none = { ...list, workflows: list.workflows.map((w) => ({ ...w, canExport: false })) };
    await mount(fakeApi({ list: async () => ({ ok: true, data: none }) }).api);
    expect(document.querySelector('[role="region"]')).toBeNull();
  });

  it('lists every workflow with status and role; one the user may not export cannot be ticked and says why', async () => {
    await openPicker(fakeApi().api);
    const rows = Array.from(document.querySelectorAll('tbody tr')).map((row) =>
      Array.from(row.querySelectorAll('td'))
        .slice(1)
        .map((cell) => cell.textContent),
    );
    expect(rows[1]).toEqual(['Lending Router 001', 'Deployed', 'tool editor']);
    const banking = checkbox('Banking Assistant');
    expect(banking.disabled).toBe(true);
    expect(document.getElementById(banking.getAttribute('aria-describedby')!)?.textContent).toMatch(
      /tool viewer\) may not export/,
    );
    // Names are text, never markup.
    expect(document.querySelector('tbody img')).toBeNull();
    expect(checkbox('<img src=x onerror=alert(1)>')).toBeTruthy();
  });

  it('select all takes the exportable workflows the filter shows, and the export goes in the list’s order', async () => {
    const { api, started } = fakeApi();
    await openPicker(api);
    const filter = document.querySelector('input[type="search"]') as HTMLInputElement;
    await act(() => {
      filter.value = 'router';
      filter.dispatchEvent(new Event('input'));
    });
    expect(document.querySelectorAll('tbody tr')).toHaveLength(2);
    const all = Array.from(document.querySelectorAll('label'))
      .find((l) => l.textContent?.includes('Select all'))!
      .querySelector('input')!;
    await click(all);
    expect(checkbox('Lending Router 001').checked).toBe(true);
    expect(checkbox('Claims Router 002').checked).toBe(true);
    await click(button('Export 2 workflows'));
    await settle();
    expect(started).toEqual([['a-2', 'a-3']]);
  });

  it('shows overall and per-workflow progress with Cancel, then what was exported, what was not and why', async () => {
    const { api, cancelled, push } = fakeApi();
    await openPicker(api);
    await click(checkbox('Lending Router 001'));
    await click(checkbox('Claims Router 002'));
    await click(button('Export 2 workflows'));
    await settle();
    expect(document.body.textContent).toContain('Exporting… 1 of 2 done: 1 exported, 0 not exported.');
    expect(document.querySelector('progress')?.getAttribute('value')).toBe('1');
    expect(document.body.textContent).toContain('Claims Router 002: exporting…');
    await click(button('Cancel'));
    await settle();
    expect(cancelled).toEqual(['bulk-1']);

    await push({
      status: 'succeeded',
      step: 'download',
      result: { fileName: 'Sandbox Bank workflows 2026-12-02.zip', size: 2048 },
      workflows: [
        {
          workflowId: 'a-2',
          name: 'Lending Router 001',
          state: 'exported',
          versionName: 'v1',
          redactions: 5,
        },
        {
          workflowId: 'a-3',
          name: 'Claims Router 002',
          state: 'failed',
          error: { code: 'SERVER', message: 'The platform reported an internal error.', retryable: true },
        },
      ],
    });
    const summary = document.querySelector('[role="status"].porter-message')!;
    expect(summary.textContent).toContain(
      'Saved “Sandbox Bank workflows 2026-12-02.zip” (2.0 KB): 1 of 2 workflows exported, 5 items redacted.',
    );
    expect(document.querySelector('ul[aria-label="Exported"]')?.textContent).toBe(
      'Lending Router 001: version “v1”, 5 redacted',
    );
    expect(document.querySelector('ul[aria-label="Not exported"]')?.textContent).toBe(
      'Claims Router 002: The platform reported an internal error.',
    );
  });

  it('says where the packages went: all in the library, or how many its setting let go', async () => {
    const { api, push } = fakeApi({ current: async () => ({ ok: true, data: snapshot() }) });
    await mount(api);
    const done = (library: BulkSnapshot['library']) =>
      push({
        status: 'succeeded',
        step: 'download',
        result: { fileName: 'Sandbox Bank workflows 2026-12-02.zip', size: 2048 },
        workflows: Array.from({ length: 200 }, (_, i) => ({
          workflowId: `a-${i}`,
          name: `Workflow ${i}`,
          state: 'exported' as const,
          versionName: 'v1',
          redactions: 0,
        })),
        library,
      });
    const summary = () => document.querySelector('[role="status"].porter-message')!.textContent;
    await done({ keep: 1000, ownLetGo: 0, olderLetGo: 0 });
    expect(summary()).toContain('Your Porter library keeps the latest 1,000 packages: all 200 are in it.');
    await done({ keep: 1000, ownLetGo: 0, olderLetGo: 3 });
    expect(summary()).toContain(
      'keeps the latest 1,000 packages: all 200 are in it, and 3 older ones were let go.',
    );
    await done({ keep: 50, ownLetGo: 150, olderLetGo: 7 });
    expect(summary()).toContain(
      'Your Porter library keeps the latest 50 packages, so 150 of these 200 and 7 older ones were let go. ' +
        'To keep them all, raise “Keep the latest” in the toolbar popup before the next export.',
    );
  });
});
