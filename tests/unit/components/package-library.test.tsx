// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { PackageLibrary, PAGE_SIZE, type LibrarySource } from '../../../components/library/PackageLibrary';
import type { PackageMeta } from '../../../lib/store/db';

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

function meta(i: number, over: Partial<PackageMeta> = {}): PackageMeta {
  return {
    id: `p${i}`,
    origin: i % 2 ? 'https://process.kore.ai' : 'http://127.0.0.1:4780',
    workflowId: `a-${i % 3}`,
    workflowName: ['Banking Assistant', 'Claims Flow 2000', 'Invoice Triage'][i % 3]!,
    versionId: `cf-${i}`,
    versionName: `v${i}`,
    versionState: 'saved',
    fileName: 'Banking Assistant.zip',
    size: 30_000,
    storedSize: 4_000,
    sha256: String(i).padStart(64, '0'),
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, 60 - i)).toISOString(),
    report: { items: [], variables: [] },
    ...over,
  };
}

function memorySource(packages: PackageMeta[]) {
  const calls: string[] = [];
  let keep = 100;
  const source: LibrarySource = {
    list: async () => [...packages],
    remove: async (id) => {
      calls.push(`remove ${id}`);
      packages.splice(
        packages.findIndex((p) => p.id === id),
        1,
      );
    },
    download: async (id) => {
      calls.push(`download ${id}`);
      if (id === 'p2') throw new Error('This package is not in the cache any more.');
      return 'Banking Assistant (1).zip';
    },
    keep: async () => keep,
    setKeep: async (count) => {
      calls.push(`keep ${count}`);
      keep = count;
      return keep;
    },
  };
  return { source, calls };
}

async function show(source: LibrarySource) {
  const opened: (string | undefined)[] = [];
  await act(() =>
    render(
      <PackageLibrary
        source={source}
        actions={{ open: (id) => opened.push(id), options: () => undefined }}
      />,
      document.body,
    ),
  );
  await settle();
  return opened;
}

const entries = () => Array.from(document.querySelectorAll('.entry-title')).map((h) => h.textContent);
const button = (entry: number, label: string) =>
  Array.from(document.querySelectorAll('.entry')[entry]!.querySelectorAll('button')).find(
    (b) => b.textContent === label,
  )!;
const type = async (selector: string, value: string) => {
  const input = document.querySelector<HTMLInputElement>(selector)!;
  input.value = value;
  await act(() => void input.dispatchEvent(new Event('input', { bubbles: true })));
};

afterEach(() => render(null, document.body));

describe('PackageLibrary', () => {
  it('explains how to export when the cache is empty', async () => {
    const opened = await show(memorySource([]).source);
    expect(document.querySelector('.empty')?.textContent).toContain('Go to its Configurations page.');
    await act(() => document.querySelector<HTMLAnchorElement>('.empty a')!.click());
    expect(opened).toEqual([undefined]);
  });

  it('names workflow and version of every package, a page at a time, and the storage used', async () => {
    const all = Array.from({ length: 60 }, (_, i) => meta(i));
    await show(memorySource(all).source);
    expect(entries()).toHaveLength(PAGE_SIZE);
    expect(entries()[0]).toBe('Banking Assistant v0');
    expect(entries()[1]).toBe('Claims Flow 2000 v1');
    expect(document.querySelector('[data-testid="usage"]')?.textContent).toBe(
      '60 packages from 60 exports · 234 KB stored (1.7 MB as zips)',
    );
    const more = Array.from(document.querySelectorAll('button')).find((b) =>
      b.textContent?.startsWith('Show'),
    )!;
    expect(more.textContent).toBe(`Show ${PAGE_SIZE} more (35 not shown)`);
    await act(() => more.click());
    expect(entries()).toHaveLength(2 * PAGE_SIZE);
  });

  it('finds packages by workflow, version and host, every word', async () => {
    await show(memorySource(Array.from({ length: 12 }, (_, i) => meta(i))).source);
    await type('#library-search', 'claims');
    expect(entries()).toEqual([
      'Claims Flow 2000 v1',
      'Claims Flow 2000 v4',
      'Claims Flow 2000 v7',
      'Claims Flow 2000 v10',
    ]);
    await type('#library-search', 'CLAIMS 127.0.0.1');
    expect(entries()).toEqual(['Claims Flow 2000 v4', 'Claims Flow 2000 v10']);
    await type('#library-search', 'v11');
    expect(entries()).toEqual(['Invoice Triage v11']);
    expect(document.body.textContent).toContain('1 of 12 match');
  });

  it('downloads again, opens and deletes, saying what happened', async () => {
    const { source, calls } = memorySource([meta(0), meta(1), meta(2)]);
    const opened = await show(source);
    await act(() => button(0, 'Download again').click());
    await settle();
    expect(document.querySelector('.library-status')?.textContent).toBe(
      'Saved Banking Assistant v0 as Banking Assistant (1).zip.',
    );
    await act(() => button(2, 'Download again').click());
    await settle();
    expect(document.querySelector('.library-status')?.textContent).toBe(
      'This package is not in the cache any more.',
    );
    await act(() => button(1, 'Open').click());
    expect(opened).toEqual(['p1']);
    await act(() => button(1, 'Delete').click());
    await settle();
    expect(entries()).toEqual(['Banking Assistant v0', 'Invoice Triage v2']);
    expect(document.querySelector('.library-status')?.textContent).toBe(
      'Deleted Claims Flow 2000 v1 from the cache.',
    );
    expect(calls).toEqual(['download p0', 'download p2', 'remove p1']);
  });

  it('says how often and when an identical package was exported', async () => {
    const times = ['2026-01-03T10:00:00.000Z', '2026-01-02T10:00:00.000Z', '2026-01-01T10:00:00.000Z'];
    await show(memorySource([meta(0, { exportedAt: times, createdAt: times[0]! })]).source);
    const details = document.querySelector('.entry details')!;
    expect(details.querySelector('summary')?.textContent).toBe(
      `Exported 3 times, last ${new Date(times[0]!).toLocaleString()}`,
    );
    expect(details.querySelectorAll('li')).toHaveLength(3);
  });

  it('shows names written with HTML and script as text', async () => {
    const hostile = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    await show(memorySource([meta(0, { workflowName: hostile, versionName: '<b>v1</b>' })]).source);
    expect(entries()[0]).toBe(`${hostile} <b>v1</b>`);
    expect(document.querySelector('img, script, b')).toBeNull();
  });

  it('changes how many packages are kept', async () => {
    const { source, calls } = memorySource([meta(0)]);
    await show(source);
    await type('#keep-count', '20');
    await act(() => document.querySelector<HTMLFormElement>('.keep')!.requestSubmit());
    await settle();
    expect(calls).toEqual(['keep 20']);
    expect(document.querySelector<HTMLButtonElement>('.keep button')!.disabled).toBe(true);
  });
});
