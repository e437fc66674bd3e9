// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { watchAnchor } from '../../../lib/page/anchor-watcher';

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const now = (callback: () => void) => queueMicrotask(callback);

describe('watchAnchor', () => {
  it('mounts once per anchor, tears down when it leaves, and again when it comes back', async () => {
    document.body.innerHTML = '<main><section id="export">Export</section></main>';
    const events: string[] = [];
    const lifetime = new AbortController();
    watchAnchor(
      document.body,
      () => document.querySelector('#export'),
      (anchor, signal) => {
        events.push(`mount ${anchor.textContent}`);
        signal.addEventListener('abort', () => events.push('unmount'));
      },
      lifetime.signal,
      { schedule: now },
    );
    expect(events).toEqual(['mount Export']);

    document.body.append(document.createElement('div'));
    await flush();
    expect(events).toEqual(['mount Export']);

    document.querySelector('main')!.innerHTML = '<p>another page</p>';
    await flush();
    expect(events).toEqual(['mount Export', 'unmount']);

    document.querySelector('main')!.innerHTML = '<section id="export">Again</section>';
    await flush();
    expect(events).toEqual(['mount Export', 'unmount', 'mount Again']);

    lifetime.abort();
    expect(events.at(-1)).toBe('unmount');
    document.querySelector('main')!.innerHTML = '<section id="export">Late</section>';
    await flush();
    expect(events.filter((e) => e.startsWith('mount'))).toHaveLength(2);
  });

  it('swaps the mount when the page replaces the anchor with a new element', async () => {
    document.body.innerHTML = '<section id="export">One</section>';
    const mounted: string[] = [];
    watchAnchor(
      document.body,
      () => document.querySelector('#export'),
      (anchor) => mounted.push(anchor.textContent ?? ''),
      new AbortController().signal,
      { schedule: now },
    );
    document.body.innerHTML = '<section id="export">Two</section>';
    await flush();
    expect(mounted).toEqual(['One', 'Two']);
  });
});
