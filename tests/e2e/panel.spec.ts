import { test, expect } from './fixtures';
import { PANEL, inPanel, login, openAsEditor, shows } from './steps';
import type { Target } from './drivers/driver';
import { WORKFLOWS } from '../sandbox/seed';

test('the panel appears on Configurations only, after in-app navigation too', async ({ driver, sandbox }) => {
  const { tab } = driver;
  await login(tab, sandbox.url, 'editor@sandbox.test');
  await shows(tab, PANEL, 0);

  // In-app navigation: dashboard → workflow page → Configurations, with no full reload.
  await tab.evaluate(() => ((window as unknown as { __marker: number }).__marker = 42), undefined);
  await tab.click({ role: 'link', name: 'Banking Assistant' });
  const nav: Target = { role: 'navigation', name: 'Workflow' };
  await tab.click({ role: 'link', name: 'Audit logs', within: nav });
  await shows(tab, { role: 'heading', name: 'Audit logs', level: 1 });
  await shows(tab, PANEL, 0);
  await tab.click({ role: 'link', name: 'Configurations', within: nav });
  await expect
    .poll(() => tab.url())
    .toMatch(new RegExp(`/workflows/${WORKFLOWS.banking.id}/configurations$`));
  await shows(tab, PANEL, 1);
  // The sandbox listens on a port: the panel works there (Firefox found no permission for a pattern with a port).
  await shows(tab, inPanel('combobox', 'Version'), 1);
  expect(await tab.text(PANEL)).not.toMatch(/may not use AFP Porter/);
  expect(await tab.evaluate(() => (window as unknown as { __marker?: number }).__marker, undefined)).toBe(42);

  // The page as the contract draws it: one navigation, whose current item is Configurations, and seven sections.
  await shows(tab, { role: 'navigation' }, 1);
  const page = await tab.evaluate(() => {
    const heading = [...document.querySelectorAll('h2')].find((h) => h.textContent === 'Export workflow');
    return {
      current: document.querySelector('[aria-current="page"]')?.textContent,
      sections: [...document.querySelectorAll('main section > h2')].map((h) => h.textContent),
      // The panel sits right after the product's own "Export workflow" section.
      follows: heading?.closest('section')?.nextElementSibling?.tagName.toLowerCase(),
    };
  }, undefined);
  expect(page).toEqual({
    current: 'Configurations',
    sections: [
      'General details',
      'Setup sync/async',
      'Manage environment variables',
      'Import a workflow',
      'Export workflow',
      'Proceed to undeploy',
      'Proceed to delete',
    ],
    follows: 'porter-export-panel',
  });

  // Away and back again: still exactly one panel, and none elsewhere.
  for (let round = 0; round < 3; round++) {
    await tab.click({ role: 'link', name: 'Workflow endpoint', within: nav });
    await shows(tab, PANEL, 0);
    await tab.click({ role: 'link', name: 'Configurations', within: nav });
    await shows(tab, PANEL, 1);
  }
  await tab.back();
  await shows(tab, PANEL, 0);
  await tab.forward();
  await shows(tab, PANEL, 1);
  expect(await tab.evaluate(() => document.querySelectorAll('porter-export-panel').length, undefined)).toBe(
    1,
  );
  expect(await tab.evaluate(() => (window as unknown as { __marker?: number }).__marker, undefined)).toBe(42);
});

test('another workflow’s Configurations page gets its own panel with its own versions', async ({
  driver,
  sandbox,
}) => {
  const { tab } = driver;
  await openAsEditor(tab, sandbox.url, WORKFLOWS.banking.id);
  const versions = () =>
    tab.evaluate(
      () =>
        document.querySelector('porter-export-panel')?.shadowRoot?.querySelectorAll('select option').length ??
        0,
      undefined,
    );
  await expect.poll(versions).toBe(3);

  await tab.goto(`${sandbox.url}/workflows/${WORKFLOWS.empty.id}/flow`);
  await tab.click({ role: 'link', name: 'Configurations', within: { role: 'navigation', name: 'Workflow' } });
  await expect.poll(versions).toBe(1);
  await shows(tab, PANEL, 1);
});
