// Chromium only: the dialog is given files through the page's file input, which the cross-browser driver lacks.
import { unzipSync } from 'fflate';
import { test, expect, login } from './fixtures';
import { WORKFLOWS } from '../sandbox/seed';
import { readPackageZip } from '../../lib/package/zip-read';
import { diffPackages } from '../../lib/package/diff';
import {
  apiAs,
  chooseInDialog,
  DIALOG,
  exportWithPanel,
  newestDownload,
  scratchFiles,
  stopWorker,
} from './import-steps';

/** Fields that may differ after a round trip: the workflow's name and every identifier the platform hands out. */
const NAMES_AND_IDS = /^(workflow\.name|version\.(id|name|createdAt|description))$|(^|\.)id$|\.id\b/;

test.describe('a package round-trips: export, import as new, export again, and only names and ids differ', () => {
  for (const workflow of Object.values(WORKFLOWS)) {
    test(workflow.name, async ({ browser_, sandbox }) => {
      test.setTimeout(120_000);
      const { page } = browser_;
      await login(page, sandbox.url, 'owner@sandbox.test');
      const original = await exportWithPanel(browser_, sandbox.url, workflow.id);

      await page.goto(`${sandbox.url}/workflows`);
      const dialog = await chooseInDialog(page, 'Import package', [original.path]);
      // The package's own name is taken (the original is there): a free one is proposed.
      await expect(dialog.getByText(/is already taken in this account/)).toBeVisible();
      const name = await dialog.getByRole('textbox', { name: 'New workflow name' }).inputValue();
      expect(name).toBe(`${workflow.name} (2)`);
      await dialog.getByRole('button', { name: 'Import' }).click();
      await expect(dialog.getByText(`Imported as the new workflow "${name}".`)).toBeVisible({
        timeout: 60_000,
      });

      const made = (await (await apiAs(sandbox.url, 'owner@sandbox.test')).workflows()).filter(
        (w) => w.name === name,
      );
      expect(made).toHaveLength(1);
      const link = dialog.getByRole('link', { name: `Open ${name}` });
      expect(await link.getAttribute('href')).toBe(`${sandbox.url}/workflows/${made[0]!.id}/flow`);

      const again = await exportWithPanel(browser_, sandbox.url, made[0]!.id);
      const diff = diffPackages(readPackageZip(original.bytes).content, readPackageZip(again.bytes).content);
      expect(diff.app.map((change) => change.path)).toContain('workflow.name');
      expect(diff.app.map((change) => change.path).filter((path) => !NAMES_AND_IDS.test(path))).toEqual([]);
      expect(diff.flow.nodesAdded).toEqual([]);
      expect(diff.flow.nodesRemoved).toEqual([]);
      expect(diff.flow.connectionsAdded).toEqual([]);
      expect(diff.flow.connectionsRemoved).toEqual([]);
      const nodeFields = diff.flow.nodesChanged.flatMap((node) => node.fields.map((field) => field.path));
      expect(nodeFields.filter((path) => !NAMES_AND_IDS.test(path))).toEqual([]);
      expect(diff.env.added).toEqual([]);
      expect(diff.env.removed).toEqual([]);
      expect(diff.env.changed).toEqual([]);
    });
  }
});

export { unzipSync, DIALOG, newestDownload, scratchFiles, stopWorker };
