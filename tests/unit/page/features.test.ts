// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { runFeatures, type PageFeature } from '../../../lib/page/features';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const now = (callback: () => void) => queueMicrotask(callback);

function feature(id: string, selector: string, events: string[]): PageFeature<Element, string> {
  return {
    id,
    find: (root) => root.querySelector(selector),
    mount(anchor, signal, env) {
      events.push(`${id} mounted on ${anchor.textContent} (${env})`);
      signal.addEventListener('abort', () => events.push(`${id} gone`));
    },
  };
}

describe('page feature registry', () => {
  it('runs each feature on its own anchor and tears it down when an in-app navigation removes it', async () => {
    document.body.innerHTML = '<main><h1>Workflows</h1><button>Import a workflow</button></main>';
    const events: string[] = [];
    const lifetime = new AbortController();
    runFeatures(
      [feature('dashboard', 'button', events), feature('configurations', 'section', events)],
      document,
      'ctx',
      lifetime.signal,
      { schedule: now },
    );
    expect(events).toEqual(['dashboard mounted on Import a workflow (ctx)']);

    document.querySelector('main')!.innerHTML = '<section>Export workflow</section>';
    await flush();
    expect(events.slice(1)).toEqual(['dashboard gone', 'configurations mounted on Export workflow (ctx)']);

    lifetime.abort();
    expect(events.at(-1)).toBe('configurations gone');
  });

  it('one feature failing leaves the others running, and the failure is reported with its id', async () => {
    document.body.innerHTML = '<main><section>Export workflow</section></main>';
    const events: string[] = [];
    const failures: string[] = [];
    const broken: PageFeature<Element, string> = {
      id: 'broken',
      find: () => {
        throw new Error('page changed');
      },
      mount: () => undefined,
    };
    runFeatures(
      [broken, feature('export', 'section', events)],
      document,
      'ctx',
      new AbortController().signal,
      {
        schedule: now,
        onError: (id) => failures.push(id),
      },
    );
    expect(failures).toEqual(['broken']);
    expect(events).toEqual(['export mounted on Export workflow (ctx)']);
  });
});
