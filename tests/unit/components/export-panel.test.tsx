// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { ExportPanel, defaultVersionId, type ExportPanelApi } from '../../../components/ExportPanel';
import type { JobSnapshot, WorkflowInfo } from '../../../lib/protocol';

const workflow: WorkflowInfo = {
  id: 'a-1',
  name: 'Banking Assistant',
  status: 'Deployed',
  myRole: 'tool editor',
  deployedVersionId: 'cf-2',
  inDevelopmentVersionId: 'cf-3',
  canExport: true,
  versions: [
    { id: 'cf-1', name: 'v1 initial', state: 'saved' },
    { id: 'cf-2', name: 'v2 loan intents', state: 'deployed' },
    { id: 'cf-3', name: 'v3 fraud checks', state: 'in-development' },
  ],
};

const snapshot = (job: Partial<JobSnapshot> = {}): JobSnapshot => ({
  id: 'job-1',
  workflowId: 'a-1',
  versionId: 'cf-2',
  step: 'fetch',
  status: 'running',
  confirmed: false,
  ...job,
});

function fakeApi(overrides: Partial<ExportPanelApi> = {}) {
  const listeners = new Set<(job: JobSnapshot) => void>();
  const started: string[] = [];
  const decisions: string[] = [];
  const api: ExportPanelApi = {
    getWorkflow: async () => ({ ok: true, data: workflow }),
    startExport: async (versionId) => {
      started.push(versionId);
      return { ok: true, data: snapshot({ versionId }) };
    },
    confirmExport: async (jobId) => {
      decisions.push(`confirm ${jobId}`);
      return { ok: true, data: snapshot({ confirmed: true }) };
    },
    cancelExport: async (jobId) => {
      decisions.push(`cancel ${jobId}`);
      return { ok: true, data: snapshot({ status: 'cancelled' }) };
    },
    jobStatus: async () => ({ ok: true, data: snapshot() }),
    currentExport: async () => ({ ok: true, data: null }),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    openViewer: () => undefined,
    ...overrides,
  };
  const push = (job: Partial<JobSnapshot>) =>
    act(() => {
      for (const listener of listeners) listener(snapshot(job));
    });
  return { api, started, decisions, push };
}

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));
const region = () => document.querySelector('[role="region"]') as HTMLElement;
const select = () => document.querySelector('select') as HTMLSelectElement;
const button = (name: string) =>
  Array.from(document.querySelectorAll('button')).find((b) => b.textContent?.trim() === name) as
    HTMLButtonElement | undefined;

async function mount(api: ExportPanelApi) {
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<ExportPanel api={api} />, root));
  await settle();
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('ExportPanel', () => {
  it('is a named region with a Version combobox defaulting to the deployed version', async () => {
    await mount(fakeApi().api);
    expect(region().getAttribute('aria-label')).toBe('Porter: Export workflow');
    const label = document.querySelector(`label[for="${select().id}"]`);
    expect(label?.textContent).toBe('Version');
    expect(select().value).toBe('cf-2');
    expect(Array.from(select().options).map((o) => o.textContent)).toEqual([
      'v1 initial (Saved)',
      'v2 loan intents (Deployed)',
      'v3 fraud checks (In development)',
    ]);
    expect(button('Export')!.disabled).toBe(false);
  });

  it('defaults to the in-development version when none is deployed', () => {
    expect(
      defaultVersionId({
        ...workflow,
        deployedVersionId: null,
        versions: workflow.versions.filter((v) => v.state !== 'deployed'),
      }),
    ).toBe('cf-3');
  });

  it('shows a viewer that they cannot export, and why, before any click', async () => {
    await mount(
      fakeApi({
        getWorkflow: async () => ({
          ok: true,
          data: { ...workflow, canExport: false, myRole: 'tool viewer' },
        }),
      }).api,
    );
    expect(button('Export')!.disabled).toBe(true);
    const reason = document.getElementById(button('Export')!.getAttribute('aria-describedby')!);
    expect(reason?.textContent).toMatch(/tool viewer.*cannot export/);
  });

  it('asks about dependencies once the version is read: "Let me check" stops, "Yes, I will take care" goes on', async () => {
    const { api, started, decisions, push } = fakeApi();
    await mount(api);
    await act(() => button('Export')!.click());
    await settle();
    expect(started).toEqual(['cf-2']);
    expect(select().disabled).toBe(true);
    push({
      step: 'validate',
      dependencies: [
        { kind: 'model', name: 'gpt-4o' },
        { kind: 'guardrail', name: 'Toxicity' },
      ],
    });
    expect(document.body.textContent).toContain('AI models');
    expect(document.body.textContent).toContain('gpt-4o');
    expect(document.body.textContent).toContain('Guardrail scanners');
    expect(select().disabled).toBe(true);
    await act(() => button('Let me check')!.click());
    await settle();
    expect(decisions).toEqual(['cancel job-1']);
    expect(button('Let me check')).toBeUndefined();
    expect(select().disabled).toBe(false);

    await act(() => button('Export')!.click());
    await settle();
    push({ step: 'redact', dependencies: [{ kind: 'model', name: 'gpt-4o' }] });
    await act(() => button('Yes, I will take care')!.click());
    await settle();
    expect(decisions).toEqual(['cancel job-1', 'confirm job-1']);
    // An update the worker sent before it heard the answer does not bring the question back.
    push({ step: 'zip', dependencies: [{ kind: 'model', name: 'gpt-4o' }] });
    expect(button('Yes, I will take care')).toBeUndefined();
    expect(document.body.textContent).toContain('Step 4 of 6: Building the zip');
  });

  it('cancels an unanswered check when the page goes away', async () => {
    const { api, decisions, push } = fakeApi();
    const root = document.createElement('div');
    document.body.append(root);
    await act(() => render(<ExportPanel api={api} />, root));
    await settle();
    await act(() => button('Export')!.click());
    await settle();
    push({ step: 'zip', dependencies: [{ kind: 'model', name: 'gpt-4o' }] });
    await act(() => render(null, root));
    expect(decisions).toEqual(['cancel job-1']);
  });

  it('locks the version while the export runs and shows progress, then the result', async () => {
    const { api, push } = fakeApi();
    await mount(api);
    await act(() => button('Export')!.click());
    await settle();
    push({ step: 'redact', dependencies: [], confirmed: true });
    expect(select().disabled).toBe(true);
    const progress = document.querySelector('progress')!;
    expect(progress.getAttribute('aria-label')).toBe('Export progress');
    expect(document.body.textContent).toContain('Step 3 of 6: Removing secrets');

    push({
      step: 'download',
      status: 'succeeded',
      result: { packageId: 'p1', fileName: 'Banking Assistant.zip', size: 20480, redactedCount: 12 },
    });
    expect(select().disabled).toBe(false);
    const status = Array.from(document.querySelectorAll('[role="status"]'))
      .map((s) => s.textContent)
      .join(' ');
    expect(status).toContain('Banking Assistant.zip');
    expect(status).toContain('20 KB');
    expect(status).toContain('12 items were redacted');
    expect(document.querySelector('a')?.textContent).toBe('Open in the package viewer');
  });

  it('says what went wrong and offers Retry only where retrying can help', async () => {
    const { api, push, started } = fakeApi();
    await mount(api);
    await act(() => button('Export')!.click());
    await settle();
    push({
      status: 'failed',
      error: { code: 'SERVER', message: 'The platform reported an internal error.', retryable: true },
    });
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('internal error');
    await act(() => button('Retry')!.click());
    await settle();
    expect(started).toEqual(['cf-2', 'cf-2']);

    push({
      status: 'failed',
      error: { code: 'UNAUTHENTICATED', message: 'Log in again.', retryable: false },
    });
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('Log in again');
    expect(button('Retry')).toBeUndefined();
  });

  it('keeps keyboard focus with the user: back to Export after "Let me check", on the outcome at the end', async () => {
    const { api, push } = fakeApi();
    await mount(api);
    const active = () => document.activeElement as HTMLElement | null;
    // The one live region is there before anything happens, so every change of its text is announced.
    const live = document.querySelector('[role="status"]')!;

    button('Export')!.focus();
    await act(() => button('Export')!.click());
    await settle();
    push({ step: 'validate', dependencies: [{ kind: 'model', name: 'gpt-4o' }] });
    expect(active()?.textContent).toBe('Yes, I will take care');
    await act(() => button('Let me check')!.click());
    await settle();
    expect(active()).toBe(button('Export'));

    await act(() => button('Export')!.click());
    await settle();
    push({ step: 'redact', dependencies: [{ kind: 'model', name: 'gpt-4o' }] });
    await act(() => button('Yes, I will take care')!.click());
    await settle();
    expect(active()).toBe(live);
    expect(live.textContent).toContain('Removing secrets');
    push({
      step: 'download',
      status: 'succeeded',
      result: { packageId: 'p1', fileName: 'Banking Assistant.zip', size: 2048, redactedCount: 1 },
    });
    expect(document.querySelector('[role="status"]')).toBe(live);
    expect(active()).toBe(live);
    expect(live.textContent).toContain('Banking Assistant.zip');
  });

  it('puts focus on Retry when a keyboard-started export fails', async () => {
    const { api, push } = fakeApi();
    await mount(api);
    button('Export')!.focus();
    await act(() => button('Export')!.click());
    await settle();
    push({ status: 'failed', error: { code: 'SERVER', message: 'Internal error.', retryable: true } });
    expect(document.activeElement).toBe(button('Retry'));
  });

  it('does not take focus from the page when the user went elsewhere meanwhile', async () => {
    const { api, push } = fakeApi();
    const search = document.createElement('input');
    document.body.append(search);
    await mount(api);
    await act(() => button('Export')!.click());
    await settle();
    search.focus();
    push({ status: 'failed', error: { code: 'SERVER', message: 'Internal error.', retryable: true } });
    expect(document.activeElement).toBe(search);
  });

  it('coming back to the page, shows the export still running (version locked) or its result', async () => {
    const running = fakeApi({
      currentExport: async () => ({
        ok: true,
        data: snapshot({ versionId: 'cf-3', step: 'zip', confirmed: true }),
      }),
    });
    await mount(running.api);
    expect(select().value).toBe('cf-3');
    expect(select().disabled).toBe(true);
    expect(document.body.textContent).toContain('Step 4 of 6: Building the zip');
    running.push({
      versionId: 'cf-3',
      step: 'download',
      status: 'succeeded',
      result: {
        packageId: 'p1',
        fileName: 'Banking Assistant.zip',
        size: 2048,
        redactedCount: 3,
      },
    });
    expect(document.querySelector('[role="status"]')?.textContent).toContain('Banking Assistant.zip');
    document.body.innerHTML = '';

    await mount(
      fakeApi({
        currentExport: async () => ({ ok: true, data: snapshot({ status: 'cancelled' }) }),
      }).api,
    );
    expect(button('Export')!.disabled).toBe(false);
    expect(select().value).toBe('cf-2');
  });

  it('shows why the panel cannot load, with Retry', async () => {
    let calls = 0;
    await mount(
      fakeApi({
        getWorkflow: async () =>
          ++calls === 1
            ? {
                ok: false,
                error: { code: 'NETWORK', message: 'The platform could not be reached.', retryable: true },
              }
            : { ok: true, data: workflow },
      }).api,
    );
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('could not be reached');
    await act(() => button('Retry')!.click());
    await settle();
    expect(select().value).toBe('cf-2');
  });

  it('Escape in the dependency check answers "Let me check"', async () => {
    const { api, decisions, push } = fakeApi();
    await mount(api);
    await act(() => button('Export')!.click());
    await settle();
    push({ step: 'validate', dependencies: [{ kind: 'model', name: 'gpt-4o' }] });
    const check = document.querySelector('.porter-check')!;
    await act(() => {
      check.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    await settle();
    expect(decisions).toEqual(['cancel job-1']);
    expect(document.querySelector('.porter-check')).toBeNull();
    expect(select().disabled).toBe(false);
  });

  it('can be cancelled while the version is being fetched, and then nothing more is shown of that export', async () => {
    const { api, decisions, push } = fakeApi();
    await mount(api);
    await act(() => button('Export')!.click());
    await settle();
    await act(() => button('Cancel')!.click());
    await settle();
    expect(decisions).toEqual(['cancel job-1']);
    push({ step: 'validate', dependencies: [{ kind: 'model', name: 'gpt-4o' }] });
    expect(document.querySelector('.porter-check')).toBeNull();
    expect(button('Export')!.disabled).toBe(false);
    // Once the check was answered with yes, the export is the user's: no Cancel any more.
    await act(() => button('Export')!.click());
    await settle();
    push({ step: 'redact', confirmed: true });
    expect(button('Cancel')).toBeUndefined();
  });

  it('after a reload, an earlier refusal is not shown to a user whose role now allows exporting', async () => {
    const refused = snapshot({
      status: 'failed',
      error: {
        code: 'FORBIDDEN',
        message: 'Your role on this workflow does not allow exporting it.',
        retryable: false,
      },
    });
    await mount(fakeApi({ currentExport: async () => ({ ok: true, data: refused }) }).api);
    expect(document.querySelector('[role="alert"]')).toBeNull();
    expect(button('Export')!.disabled).toBe(false);

    document.body.innerHTML = '';
    const stillRefused = fakeApi({
      getWorkflow: async () => ({ ok: true, data: { ...workflow, canExport: false } }),
      currentExport: async () => ({ ok: true, data: refused }),
    });
    await mount(stillRefused.api);
    expect(document.querySelector('[role="alert"]')?.textContent).toContain('does not allow exporting');
  });
});
