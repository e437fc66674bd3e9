/**
 * An on-premises installation: the sandbox under a host name no build's manifest lists (ON_PREM_HOST). The user grants
 * it on the Options page; the panel then appears there and exports. Removed on the same page, the panel is gone.
 */
import { test, expect } from './fixtures';
import { ON_PREM_HOST, type ExtensionBrowser, type Tab } from './drivers/driver';
import {
  PANEL,
  expectCleanPackage,
  exportAndConfirm,
  exportedFile,
  finished,
  login,
  openConfigurations,
  reads,
  shows,
} from './steps';
import { BANKING_MUST_NOT_LEAK, WORKFLOWS } from '../sandbox/seed';
import { escapeRegex } from '../../lib/redaction/rules/define';

const BANKING = WORKFLOWS.banking.id;
const ADDRESS = { role: 'textbox', name: 'Another installation' } as const;
const GRANT = { role: 'button', name: 'Grant access' } as const;
const REMOVE = { role: 'button', name: 'Remove' } as const;

/**
 * The panel is not on `tab`'s Configurations page, though the page had as long as the panel then takes to appear on
 * a host the manifest lists, opened after it in `listed`.
 */
async function expectNoPanel(tab: Tab, listed: Tab, listedUrl: string): Promise<void> {
  await openConfigurations(listed, listedUrl, BANKING);
  await shows(listed, PANEL);
  expect(await tab.count(PANEL)).toBe(0);
}

async function grantOnOptions(driver: ExtensionBrowser, address: string, pattern: string): Promise<Tab> {
  const options = await driver.openExtensionPage('options.html');
  await driver.allowPermissionRequest(pattern);
  await options.fill(ADDRESS, address);
  await options.click(GRANT);
  await reads(options, { role: 'status', hasText: /\S/ }, new RegExp(escapeRegex(`now works on ${pattern}`)));
  await shows(options, { role: 'listitem', name: pattern }, 1);
  return options;
}

test('a host granted on the Options page gets the panel and exports; removed there, it gets the panel no more', async ({
  driver,
  sandbox,
}) => {
  const onPrem = `http://${ON_PREM_HOST}:${new URL(sandbox.url).port}`;
  const pattern = `http://${ON_PREM_HOST}/*`;
  const { tab } = driver;
  const listed = await driver.newTab();
  await login(listed, sandbox.url, 'editor@sandbox.test');

  await login(tab, onPrem, 'editor@sandbox.test');
  await openConfigurations(tab, onPrem, BANKING);
  await expectNoPanel(tab, listed, sandbox.url);

  const options = await grantOnOptions(driver, onPrem, pattern);
  await openConfigurations(tab, onPrem, BANKING);
  await shows(tab, PANEL);
  await exportAndConfirm(tab);
  await shows(tab, finished('Banking Assistant.zip'), 1, 60_000);
  expectCleanPackage((await exportedFile(driver)).bytes, Object.values(BANKING_MUST_NOT_LEAK).flat());

  await options.click(REMOVE);
  await shows(options, { role: 'listitem', name: pattern }, 0);
  await openConfigurations(tab, onPrem, BANKING);
  await expectNoPanel(tab, listed, sandbox.url);
});
