// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  findConfigurationsPage,
  findWorkflowId,
  findWorkflowsDashboard,
  workflowIdFromUrl,
} from '../../../lib/page/selectors';
import { WORKFLOWS } from '../../sandbox/seed';

function load(name: string): Document {
  const html = readFileSync(`tests/fixtures/pages/${name}.html`, 'utf8');
  return new DOMParser().parseFromString(html, 'text/html');
}

describe('Configurations page landmarks, on saved pages', () => {
  it('finds the sandbox’s Export and Import sections', () => {
    const doc = load('sandbox-configurations');
    const page = findConfigurationsPage(doc)!;
    expect(page.exportSection.querySelector('h2')?.textContent).toBe('Export workflow');
    expect(page.exportSection.tagName).toBe('SECTION');
    expect(page.importSection?.querySelector('h2')?.textContent).toBe('Import a workflow');
    expect(
      findWorkflowId(doc, `http://127.0.0.1:4780/workflows/${WORKFLOWS.banking.id}/configurations`),
    ).toBe(WORKFLOWS.banking.id);
  });

  it('finds a product-like page with role="heading" titles and a class-marked navigation item', () => {
    const doc = load('product-like-configurations');
    const page = findConfigurationsPage(doc)!;
    expect(page.exportSection.className).toBe('card');
    expect(page.exportSection.textContent).toContain('Export workflow');
    // The URL gives no id here; the navigation links do.
    expect(findWorkflowId(doc, 'https://process.kore.ai/app/#/settings')).toBe(
      'a-3f2b8c1d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
    );
  });

  it('finds the earlier "tool" naming', () => {
    const doc = load('gale-tool-configurations');
    expect(findConfigurationsPage(doc)?.exportSection.textContent).toContain('Export tool');
    expect(
      findWorkflowId(
        doc,
        'https://agent-platform.kore.ai/tools/a-0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9/configuration',
      ),
    ).toBe('a-0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9');
  });

  it('finds nothing on other pages', () => {
    for (const name of ['sandbox-workflows', 'sandbox-audit-logs', 'product-like-flow']) {
      expect(findConfigurationsPage(load(name)), name).toBeNull();
    }
  });
});

describe('workflow id from the URL', () => {
  it('reads the product’s path shapes and ignores everything else', () => {
    const id = 'a-3f2b8c1d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';
    expect(workflowIdFromUrl(`https://process.kore.ai/workflows/${id}/configurations`)).toBe(id);
    expect(workflowIdFromUrl(`https://gale.kore.ai/agents/${id}`)).toBe(id);
    expect(workflowIdFromUrl(`https://process.kore.ai/workflows/${id}?tab=1`)).toBe(id);
    expect(workflowIdFromUrl('https://process.kore.ai/workflows')).toBeNull();
    expect(workflowIdFromUrl('not a url')).toBeNull();
  });
});

describe('Workflows dashboard landmarks, on saved pages', () => {
  it('finds the sandbox’s dashboard and its "Import a workflow" button', () => {
    const dashboard = findWorkflowsDashboard(load('sandbox-workflows'))!;
    expect(dashboard.heading.textContent).toBe('Workflows');
    expect(dashboard.importButton.tagName).toBe('BUTTON');
    expect(dashboard.importButton.textContent).toBe('Import a workflow');
  });

  it('finds the older "Tools" dashboard with its "Import tool" link', () => {
    const doc = new DOMParser().parseFromString(
      '<main><div role="heading" aria-level="1">Tools</div><a href="#import" role="button"> Import  tool </a></main>',
      'text/html',
    );
    expect(findWorkflowsDashboard(doc)?.importButton.textContent).toContain('Import');
  });

  it('finds nothing on a workflow’s own pages', () => {
    for (const name of ['sandbox-configurations', 'sandbox-audit-logs', 'product-like-flow']) {
      expect(findWorkflowsDashboard(load(name))).toBeNull();
    }
  });
});
