// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { PackageViewer, type PackageSource } from '../../../components/PackageViewer';
import { bankingContent } from '../banking-package';
import { writePackageZip } from '../../../lib/package/zip-write';
import type { PackageMeta } from '../../../lib/store/db';

const empty: PackageSource = {
  list: async () => [],
  meta: async () => undefined,
  bytes: async () => undefined,
};

const content = bankingContent();

async function sourceOf(ids: string[]): Promise<PackageSource> {
  const bytes = await writePackageZip(content);
  const meta = (id: string): PackageMeta => ({
    id,
    origin: 'https://process.kore.ai',
    workflowId: 'a-1',
    workflowName: `Workflow ${id}`,
    versionId: 'cf-1',
    versionName: 'v1',
    versionState: 'deployed',
    fileName: 'Banking Assistant.zip',
    size: bytes.byteLength,
    sha256: '0'.repeat(64),
    createdAt: '2026-11-28T00:00:00.000Z',
    report: { items: [], variables: [] },
  });
  return {
    list: async () => ids.map(meta),
    meta: async (id) => (ids.includes(id) ? meta(id) : undefined),
    bytes: async (id) => (ids.includes(id) ? bytes : undefined),
  };
}

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

afterEach(() => {
  render(null, document.body);
  location.hash = '';
});

describe('PackageViewer', () => {
  it('says a package is not in the cache, also for a malformed id in the address', async () => {
    for (const hash of ['#/package/no-such-id', '#/package/%E0%A4%A']) {
      location.hash = hash;
      await act(() => render(<PackageViewer source={empty} />, document.body));
      await settle();
      expect(document.querySelector('[role="alert"]')?.textContent).toBe(
        'This package is not in the cache any more.',
      );
      render(null, document.body);
    }
  });

  it('moves between file tabs with the arrow keys, and opens another package on its first file', async () => {
    location.hash = '#/package/p1';
    await act(async () => render(<PackageViewer source={await sourceOf(['p1', 'p2'])} />, document.body));
    await settle();
    const tabs = () => Array.from(document.querySelectorAll<HTMLElement>('[role="tab"]'));
    const selected = () => tabs().find((tab) => tab.getAttribute('aria-selected') === 'true')?.textContent;
    expect(tabs().map((tab) => tab.tabIndex)).toEqual([0, -1, -1]);
    tabs()[0]!.focus();
    await act(
      () => void tabs()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true })),
    );
    expect(selected()).toBe('env_variables.json');
    expect(document.activeElement?.textContent).toBe('env_variables.json');
    expect(document.querySelector('[role="tabpanel"]')?.getAttribute('aria-labelledby')).toBe(
      document.activeElement?.id,
    );

    location.hash = '#/package/p2';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    await settle();
    await settle();
    expect(document.querySelector('h1')?.textContent).toBe('Workflow p2');
    expect(selected()).toBe('app_definition.json');
  });
});
