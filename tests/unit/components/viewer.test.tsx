// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { Viewer, type ViewerSource } from '../../../components/viewer/Viewer';
import { inVersionOrder } from '../../../components/viewer/CompareView';
import { parseRoute, viewHref } from '../../../components/viewer/route';
import { writePackageZip } from '../../../lib/package/zip-write';
import type { PackageContent } from '../../../lib/package/schemas';
import type { PackageMeta } from '../../../lib/store/db';
import { quickLayout, type FlowGraph, type GraphLayout } from '../../../lib/package/graph';
import { bankingContent } from '../banking-package';

const settle = async () => {
  for (let i = 0; i < 3; i++) await act(() => new Promise((resolve) => setTimeout(resolve, 0)));
};

function version(name: string, createdAt: string, change?: (content: PackageContent) => void) {
  const content = bankingContent();
  content.app.version = { ...content.app.version, name, createdAt };
  change?.(content);
  return content;
}

async function library(packages: { id: string; content: PackageContent }[]) {
  const zips = new Map<string, Uint8Array>();
  const metas: PackageMeta[] = [];
  for (const [i, pkg] of packages.entries()) {
    const bytes = await writePackageZip(pkg.content);
    zips.set(pkg.id, bytes);
    metas.push({
      id: pkg.id,
      origin: 'https://process.kore.ai',
      workflowId: 'a-1',
      workflowName: pkg.content.app.workflow.name,
      versionId: `cf-${i}`,
      versionName: pkg.content.app.version.name,
      versionState: 'saved',
      fileName: 'Banking Assistant.zip',
      size: bytes.byteLength,
      sha256: String(i).repeat(64),
      createdAt: `2026-01-0${i + 1}T00:00:00.000Z`,
      report: {
        items: [
          {
            file: 'flow_definition.json',
            path: 'nodes[1].config.headers[0].value',
            rule: 'auth-header',
            action: 'replaced',
            replacement: '{{context.env.CRM_TOKEN}}',
            variable: 'CRM_TOKEN',
            nodeName: 'API0001',
          },
          {
            file: '(not exported)',
            path: 'workflow.apiKeys',
            rule: 'workflow-api-keys',
            action: 'removed',
            count: 2,
          },
        ],
        variables: [],
      },
    });
  }
  const kept: string[] = [];
  const source: ViewerSource = {
    list: async () => metas,
    meta: async (id) => metas.find((m) => m.id === id),
    bytes: async (id) => zips.get(id),
    remove: async () => undefined,
    download: async () => null,
    keep: async () => 100,
    setKeep: async (n) => n,
    keepFile: async (name) => {
      kept.push(name);
      return 'kept-1';
    },
  };
  return { source, kept };
}

async function show(source: ViewerSource, hash: string) {
  location.hash = hash;
  const saved: string[] = [];
  await act(() =>
    render(<Viewer source={source} services={{ save: (name) => saved.push(name) }} />, document.body),
  );
  await settle();
  return saved;
}

async function go(hash: string) {
  location.hash = hash;
  window.dispatchEvent(new HashChangeEvent('hashchange'));
  await settle();
}

afterEach(() => {
  render(null, document.body);
  location.hash = '';
});

const v1 = () => version('v1', '2025-01-01T00:00:00.000Z');
const v2 = () =>
  version('v2', '2025-02-01T00:00:00.000Z', (content) => {
    content.flow.nodes[2]!.config.prompt = 'A new prompt';
    for (const node of content.flow.nodes) node.id = `${node.id}-new`;
    for (const node of content.flow.nodes) {
      node.connections.onSuccess = node.connections.onSuccess.map((id) => `${id}-new`);
      node.connections.onFailure = node.connections.onFailure.map((id) => `${id}-new`);
    }
  });

describe('viewer', () => {
  it('names every page in its title and gives a way back from dead ends', async () => {
    const { source } = await library([{ id: 'p1', content: v1() }]);
    await show(source, '#/');
    expect(document.title).toBe('Packages · AFP Porter');
    await go('#/package/gone/overview');
    expect(document.title).toBe('Package not found · AFP Porter');
    expect(document.querySelector('[role="alert"]')?.textContent).toBe(
      'This package is not in the cache any more.',
    );
    expect(document.querySelector<HTMLAnchorElement>('a[href="#/"]')?.textContent).toBe(
      'Back to all packages',
    );
    await go('#/opened/flow');
    expect(document.title).toBe('No package open · AFP Porter');
    await go('#/package/p1/overview');
    expect(document.title).toBe('Banking Assistant v1 · Overview · AFP Porter');
    expect(document.querySelector('.tasks')?.textContent).toContain(
      'Set the value of the secure variable CRM_TOKEN',
    );
  });

  it('links a redaction to its node in the graph and in the file, and counts what was left out', async () => {
    const { source } = await library([{ id: 'p1', content: v1() }]);
    await show(source, '#/package/p1/redactions');
    const row = document.querySelector('.redactions tbody tr')!;
    const [graphLink, fileLink] = Array.from(row.querySelectorAll('a'));
    expect(row.textContent).toContain('API0001 (api)');
    expect(graphLink!.getAttribute('href')).toBe('#/package/p1/flow?node=n-api');
    expect(fileLink!.getAttribute('href')).toMatch(
      /^#\/package\/p1\/files\?file=flow_definition\.json&line=\d+$/,
    );
    expect(document.querySelector('.redactions ul')?.textContent).toBe('API keys: 2');

    await go(fileLink!.getAttribute('href')!);
    expect(document.querySelector('.line.marked')?.textContent).toMatch(/\{$/);
    await go(graphLink!.getAttribute('href')!);
    expect(document.querySelector('.node-details h2')?.textContent).toBe('API0001');
    expect(document.querySelector('.node-details pre')?.textContent).toContain('{{context.env.CRM_TOKEN}}');
  });

  it('finds and selects a node in the flow', async () => {
    const { source } = await library([{ id: 'p1', content: v1() }]);
    await show(source, '#/package/p1/flow');
    expect(document.querySelector('canvas')?.getAttribute('aria-label')).toContain('4 nodes');
    const search = document.querySelector<HTMLInputElement>('#node-search')!;
    search.value = 'ai';
    await act(() => void search.dispatchEvent(new Event('input', { bubbles: true })));
    const found = Array.from(document.querySelectorAll('.node-results button'));
    expect(found.map((b) => b.textContent)).toEqual(['AI0001 (ai)']);
    await act(() => (found[0] as HTMLButtonElement).click());
    await go(location.hash);
    expect(location.hash).toBe('#/package/p1/flow?node=n-ai');
    expect(document.querySelector('.node-details h2')?.textContent).toBe('AI0001');
  });

  it('starts the detailed layout when a package is read, and shows it on every return to the Flow view', async () => {
    const { source } = await library([{ id: 'p1', content: v1() }]);
    const asked: FlowGraph[] = [];
    let finish = () => {};
    // ELK's worker, answering when the test says so.
    const layout = (graph: FlowGraph) => {
      asked.push(graph);
      return new Promise<GraphLayout>((resolve) => {
        finish = () => resolve({ ...quickLayout(graph), engine: 'elk' });
      });
    };
    const drawn: string[] = [];
    location.hash = '#/package/p1/overview';
    await act(() =>
      render(
        <Viewer
          source={source}
          services={{ save: () => undefined, layout, onLaidOut: (l) => drawn.push(l.engine) }}
        />,
        document.body,
      ),
    );
    await settle();
    expect(asked.map((graph) => graph.nodes.length)).toEqual([4]);
    const status = () => document.querySelector('.flow [role="status"]')?.textContent;
    await go('#/package/p1/flow');
    expect(status()).toBe('4 nodes · laying out with ELK, quick layout shown…');
    await act(() => finish());
    await settle();
    expect(status()).toBe('4 nodes · laid out by ELK');
    await go('#/package/p1/files');
    await go('#/package/p1/flow');
    expect(status()).toBe('4 nodes · laid out by ELK');
    expect(drawn).toEqual(['elk', 'elk']);
    expect(asked).toHaveLength(1);
  });

  it('searches a file and renders only the lines in sight', async () => {
    const big = v1();
    for (let i = 0; i < 3000; i++) big.app.io.outputs.push({ name: `out${i}`, type: 'string' });
    const { source } = await library([{ id: 'p1', content: big }]);
    await show(source, '#/package/p1/files?file=app_definition.json');
    const region = document.querySelector('.lines')!;
    expect(region.getAttribute('aria-label')).toMatch(/^app_definition\.json, \d{5} lines$/);
    expect(region.querySelectorAll('.line').length).toBeLessThan(200);
    const search = document.querySelector<HTMLInputElement>('#file-search')!;
    search.value = 'out2999';
    await act(() => void search.dispatchEvent(new Event('input', { bubbles: true })));
    await settle();
    expect(document.querySelector('.files [aria-live]')?.textContent).toBe('1 of 1');
    expect(document.querySelector('.line.marked')?.textContent).toContain('"out2999"');
  });

  it('compares from the older version to the newer whichever is open, regenerated ids no change', async () => {
    const { source } = await library([
      { id: 'p1', content: v1() },
      { id: 'p2', content: v2() },
    ]);
    for (const [open, other] of [
      ['p2', 'p1'],
      ['p1', 'p2'],
    ]) {
      await show(source, `#/package/${open}/compare?with=${other}`);
      expect(document.querySelector('[data-testid="compare-summary"]')?.textContent).toBe(
        'From v1 (older) to v2 (newer): 0 nodes added, 0 removed, 1 changed; 2 other changes.',
      );
      const changes = Array.from(document.querySelectorAll('[data-change]')).map((li) =>
        li.getAttribute('data-change'),
      );
      expect(changes).toEqual(['changed AI0001']);
      const cells = Array.from(document.querySelectorAll('.side-by-side tbody td')).map(
        (td) => td.textContent,
      );
      expect(cells[1]).toBe('"A new prompt"');
      expect(
        document.querySelector('.side-by-side')?.closest('[tabindex="0"]')?.getAttribute('aria-label'),
      ).toBe('Fields of AI0001 that differ');
      render(null, document.body);
    }
  });

  it('opens a zip from disk: a broken one says what is wrong, a good one can be kept; names render as text', async () => {
    const { source, kept } = await library([]);
    await show(source, '#/');
    const input = document.querySelector<HTMLInputElement>('input[type="file"]')!;
    const choose = async (name: string, bytes: Uint8Array) => {
      Object.defineProperty(input, 'files', {
        value: [new File([bytes as BlobPart], name)],
        configurable: true,
      });
      await act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
      await settle();
      window.dispatchEvent(new HashChangeEvent('hashchange'));
      await settle();
    };
    await choose('notes.txt', new TextEncoder().encode('hello'));
    const alert = document.querySelector('[role="alert"]')!;
    expect(alert.getAttribute('data-code')).toBe('NOT_A_ZIP');
    expect(alert.textContent).toMatch(/^notes\.txt could not be opened: /);

    const hostile = version('<img src=x onerror=alert(1)>', '2025-01-01T00:00:00.000Z', (content) => {
      content.app.workflow.name = '<script>alert(1)</script>';
    });
    await choose('hostile.zip', await writePackageZip(hostile));
    expect(location.hash).toBe('#/opened/overview');
    expect(document.querySelector('h1')?.textContent).toBe(
      '<script>alert(1)</script> <img src=x onerror=alert(1)>',
    );
    expect(document.querySelector('script, img')).toBeNull();
    const keep = Array.from(document.querySelectorAll('button')).find(
      (b) => b.textContent === 'Keep in library',
    )!;
    await act(() => keep.click());
    await settle();
    expect(kept).toEqual(['hostile.zip']);
    expect(location.hash).toBe('#/package/kept-1/overview');
  });
});

describe('viewer addresses and order', () => {
  it('reads and writes view addresses', () => {
    expect(parseRoute('#/package/a%2Fb/flow?node=n1')).toMatchObject({
      kind: 'package',
      id: 'a/b',
      view: 'flow',
    });
    expect(parseRoute('#/package/x/nonsense')).toMatchObject({ view: 'overview' });
    expect(parseRoute('#/opened')).toMatchObject({ kind: 'opened', view: 'overview' });
    expect(parseRoute('#/whatever')).toEqual({ kind: 'home' });
    expect(viewHref('a/b', 'files', { file: 'x.json', line: 3 })).toBe(
      '#/package/a%2Fb/files?file=x.json&line=3',
    );
  });

  it('puts the older side first, by export time when the versions say nothing', () => {
    const a = { label: 'a', content: version('same', ''), exportedAt: '2026-02-01' };
    const b = { label: 'b', content: version('same', ''), exportedAt: '2026-01-01' };
    expect(inVersionOrder(a, b).map((s) => s.label)).toEqual(['b', 'a']);
  });
});
