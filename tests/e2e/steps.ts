/** The steps the scenarios share, on the driver interface, so that each reads the same in both browsers. */
import { expect } from '@playwright/test';
import { inflateSync, unzipSync } from 'fflate';
import type { ExtensionBrowser, Role, SavedFile, Tab, Target } from './drivers/driver';
import { escapeRegex } from '../../lib/redaction/rules/define';

export const PASSWORD = 'sandbox-pass';
export const PANEL: Target = { role: 'region', name: 'Porter: Export workflow' };

/** A name that is `text` and nothing more (a plain string matches anywhere in a name). */
export function exactly(text: string): RegExp {
  return new RegExp(`^${escapeRegex(text)}$`);
}

export function inPanel(role: Role, name?: string | RegExp, more: Partial<Target> = {}): Target {
  return { role, name, ...more, within: PANEL };
}

/** Waits until `target` is on screen (or, with `count`, shown exactly that many times). */
export async function shows(tab: Tab, target: Target, count?: number, timeout = 15_000): Promise<void> {
  const poll = expect.poll(() => tab.count(target), {
    timeout,
    message: `${JSON.stringify(target)} on screen`,
  });
  await (count === undefined ? poll.toBeGreaterThan(0) : poll.toBe(count));
}

/** Waits until the first match's text matches. */
export async function reads(tab: Tab, target: Target, text: RegExp, timeout = 15_000): Promise<void> {
  await expect
    .poll(() => tab.text(target), { timeout, message: `${JSON.stringify(target)} reads ${text}` })
    .toMatch(text);
}

export async function login(tab: Tab, sandboxUrl: string, email: string): Promise<void> {
  await tab.goto(`${sandboxUrl}/login`);
  await tab.fill({ role: 'textbox', name: 'Email' }, email);
  await tab.fill({ role: 'textbox', name: 'Password' }, PASSWORD);
  await tab.click({ role: 'button', name: 'Log in' });
  await shows(tab, { role: 'heading', name: 'Workflows', level: 1 });
}

export async function openConfigurations(tab: Tab, sandboxUrl: string, workflowId: string): Promise<void> {
  await tab.goto(`${sandboxUrl}/workflows/${workflowId}/configurations`);
  await shows(tab, { role: 'heading', name: 'Configurations', level: 1 });
}

export async function openAsEditor(tab: Tab, sandboxUrl: string, workflowId: string): Promise<void> {
  await login(tab, sandboxUrl, 'editor@sandbox.test');
  await openConfigurations(tab, sandboxUrl, workflowId);
}

export const ALERT = inPanel('alert', undefined, { hasText: /\S/ });
export const CONFIRM = inPanel('button', 'Yes, I will take care');
const VERSION = inPanel('combobox', 'Version');

/** The panel's result line once the export saved `file` (a string matches anywhere in it). */
export function finished(file: string | RegExp = '.zip'): Target {
  return inPanel('status', undefined, { hasText: file });
}

/**
 * Picks a version and clicks Export, after setting `faults` (the export's own read of the version is the only one, so
 * a fault hits it). The dependency check appears once the version is read.
 */
export async function startExport(
  tab: Tab,
  options: { version?: RegExp; faults?: () => Promise<void> } = {},
): Promise<void> {
  await expect.poll(() => tab.disabled(VERSION)).toBe(false);
  if (options.version) await tab.select(VERSION, options.version);
  await options.faults?.();
  await tab.click(inPanel('button', 'Export'));
}

/** Answers "Yes, I will take care" when the check appears; stops early on an error or a finished export. */
export async function confirmIfAsked(tab: Tab): Promise<void> {
  const answered = async () => {
    for (const target of [CONFIRM, ALERT, finished()]) if ((await tab.count(target)) > 0) return true;
    return false;
  };
  await expect.poll(answered, { timeout: 60_000 }).toBe(true);
  if ((await tab.count(CONFIRM)) > 0) await tab.click(CONFIRM);
}

export async function exportAndConfirm(tab: Tab, options: { version?: RegExp } = {}): Promise<void> {
  await startExport(tab, options);
  await confirmIfAsked(tab);
}

/** The one package the browser saved. */
export async function exportedFile(browser: ExtensionBrowser): Promise<SavedFile> {
  await expect.poll(async () => (await browser.downloads()).length, { timeout: 60_000 }).toBe(1);
  return (await browser.downloads())[0]!;
}

/** Exports the panel's default version of a workflow; resolves with the file the browser saved for it. */
export async function exportWithPanel(
  driver: ExtensionBrowser,
  sandboxUrl: string,
  workflowId: string,
): Promise<SavedFile> {
  const before = await driver.downloads();
  await openConfigurations(driver.tab, sandboxUrl, workflowId);
  await exportAndConfirm(driver.tab);
  await shows(driver.tab, finished(), 1, 60_000);
  return newestDownload(driver, before);
}

/** The one file saved since `before` was listed. */
export async function newestDownload(driver: ExtensionBrowser, before: SavedFile[]): Promise<SavedFile> {
  const known = new Set(before.map((file) => file.path));
  const fresh = async () => (await driver.downloads()).filter((file) => !known.has(file.path));
  await expect.poll(async () => (await fresh()).length, { timeout: 60_000 }).toBe(1);
  return (await fresh())[0]!;
}

/** Checks a package's three files, that they parse, and that no secret is in them; returns their text. */
export function expectCleanPackage(bytes: Uint8Array, secrets: readonly string[]): string {
  const entries = unzipSync(bytes);
  expect(Object.keys(entries).sort()).toEqual([
    'app_definition.json',
    'env_variables.json',
    'flow_definition.json',
  ]);
  const texts = Object.values(entries).map((data) => new TextDecoder().decode(data));
  for (const text of texts) JSON.parse(text);
  const text = texts.join('\n');
  for (const secret of secrets) expect(text, `the package holds a secret`).not.toContain(secret);
  return text;
}

/**
 * Everything the extension keeps, as text: every IndexedDB database's rows and storage.local, read in one of the
 * extension's own pages, with every stored zip unpacked (its files' text in place of its bytes).
 */
export async function storedByExtension(extensionPage: Tab): Promise<string> {
  const { rows, zips } = await extensionPage.evaluate(async () => {
    const request = <T>(r: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
    const zips: number[][] = [];
    const keepBytes = (_key: string, value: unknown) => {
      if (!(value instanceof Uint8Array || value instanceof ArrayBuffer)) return value;
      zips.push(Array.from(new Uint8Array(value)));
      return `<bytes ${zips.length - 1}>`;
    };
    const rows: string[] = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await request(indexedDB.open(name!));
      for (const store of Array.from(db.objectStoreNames)) {
        for (const row of await request(db.transaction(store).objectStore(store).getAll())) {
          rows.push(JSON.stringify(row, keepBytes));
        }
      }
      db.close();
    }
    // storage.local exists only with the "storage" permission; without it the extension keeps nothing there.
    const { storage } = (
      globalThis as unknown as { chrome: { storage?: { local: { get(): Promise<unknown> } } } }
    ).chrome;
    if (storage) rows.push(JSON.stringify(await storage.local.get(), keepBytes));
    return { rows, zips };
  }, undefined);
  const isZip = (data: Uint8Array) => data[0] === 0x50 && data[1] === 0x4b;
  // The cache keeps a package's files (or a zip) deflated (lib/store/compact.ts): read them as they were written.
  const inflated = (data: Uint8Array) => {
    try {
      return inflateSync(data);
    } catch {
      return data;
    }
  };
  const unpacked = zips.map((bytes) => {
    const stored = new Uint8Array(bytes);
    const data = isZip(stored) ? stored : inflated(stored);
    const files = isZip(data) ? Object.values(unzipSync(data)) : [data];
    return files.map((file) => new TextDecoder().decode(file)).join('\n');
  });
  return [...rows, ...unpacked].join('\n');
}
