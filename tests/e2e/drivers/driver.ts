/**
 * The one browser interface the end-to-end scenarios are written against, so that each runs in Chromium
 * (Playwright) and in Firefox (puppeteer-core over WebDriver BiDi) alike.
 * Elements are found by role and accessible name, as a user finds them (`locate.ts`).
 */
export type Engine = 'chromium' | 'firefox';

/**
 * A host name both browsers resolve to 127.0.0.1, where the sandbox listens, and that no build's manifest lists: the
 * sandbox as an on-premises installation, which a user grants at run time on the Options page.
 */
export const ON_PREM_HOST = 'porter-onprem.test';

export type Role =
  | 'alert'
  | 'button'
  | 'cell'
  | 'checkbox'
  | 'columnheader'
  | 'combobox'
  | 'dialog'
  /** A file input (`<input type=file>`), found even when only its label shows. */
  | 'file'
  | 'group'
  | 'heading'
  | 'img'
  /** Any element named by `aria-label` or `aria-labelledby` (what Playwright's getByLabel finds). */
  | 'labelled'
  | 'link'
  | 'list'
  | 'listitem'
  | 'main'
  | 'navigation'
  /** An `<option>` of a `<select>`, shown when its list is. */
  | 'option'
  | 'progressbar'
  | 'radio'
  | 'region'
  | 'row'
  | 'searchbox'
  | 'status'
  | 'tab'
  | 'table'
  | 'tabpanel'
  | 'textbox'
  /** Any element whose own text matches `name` (the innermost one). */
  | 'text';

/** What to find: a role, its accessible name (a string matches case-insensitively anywhere), and where. */
export interface Target {
  role: Role;
  name?: string | RegExp;
  /** Its text content, for a role whose name is not its text (a status, a region). */
  hasText?: string | RegExp;
  level?: number;
  /** The nth match (from 0) instead of the first; `count` is then 0 or 1. */
  nth?: number;
  within?: Target;
}

/** A file for a file input or a drop: made in the test, or one on disk (by its path). */
export type TestFile = string | { name: string; bytes: Uint8Array; mimeType?: string };

export interface Tab {
  goto(url: string): Promise<void>;
  /** Where the tab is now (what its page says: Firefox's driver is not told of every navigation). */
  url(): Promise<string>;
  back(): Promise<void>;
  forward(): Promise<void>;
  /** Runs `fn` in the page (for an extension page: with the extension's APIs). */
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  /** A real click (the browser's input, not a synthetic event) on the first visible match. */
  click(target: Target): Promise<void>;
  /** Types into a field, as a user does. */
  fill(target: Target, value: string): Promise<void>;
  /** Picks the option whose label matches, in a `<select>`. */
  select(target: Target, option: string | RegExp): Promise<void>;
  /** How many visible elements match. */
  count(target: Target): Promise<number>;
  /** The text of the first visible match, or null when there is none. */
  text(target: Target): Promise<string | null>;
  /** The label of a `<select>`'s chosen option. */
  selected(target: Target): Promise<string | null>;
  /** Whether the first visible match is disabled; null when there is none. */
  disabled(target: Target): Promise<boolean | null>;
  /** Whether a checkbox or radio is checked (`aria-checked` too); null when there is none. */
  checked(target: Target): Promise<boolean | null>;
  /** Clicks a checkbox or radio, as a user does, unless it already is as wanted. */
  check(target: Target, checked?: boolean): Promise<void>;
  /** A field's current value (what the user typed or the page put there). */
  value(target: Target): Promise<string | null>;
  /** An attribute of the first visible match; null when there is no match or no such attribute. */
  attribute(target: Target, name: string): Promise<string | null>;
  /** Gives a file input these files, as the browser's file picker does (input and change events). */
  choose(target: Target, files: TestFile[]): Promise<void>;
  /** Drops a file on an element: dragenter, dragover and drop events carrying it in their DataTransfer. */
  drop(target: Target, file: TestFile): Promise<void>;
  /** axe-core's serious and critical violations on the page as it is now, as `rule: element, element`. */
  accessibilityViolations(): Promise<string[]>;
  close(): Promise<void>;
}

export interface SavedFile {
  name: string;
  path: string;
  bytes: Uint8Array;
}

export interface ExtensionBrowser {
  engine: Engine;
  /** The tab the browser opened with. */
  tab: Tab;
  newTab(): Promise<Tab>;
  /** The addresses of the open tabs. */
  openTabs(): Promise<string[]>;
  /** Waits for a tab the extension (or a click) opened, by its address. */
  waitForTab(url: RegExp): Promise<Tab>;
  /** Opens one of the extension's pages (`viewer.html`, `popup.html#…`) in a new tab. */
  openExtensionPage(file: string): Promise<Tab>;
  /**
   * Stops the extension's background as the browser does when it idles (Chromium's service worker, Firefox's event
   * page); the next message or alarm starts it again. Nothing happens when it is not running.
   */
  stopBackground(): Promise<void>;
  /**
   * Has the browser grant the extension's next `permissions.request` for this origin pattern without a prompt: the
   * prompt is browser UI, which a headless browser neither shows nor lets a driver answer.
   */
  allowPermissionRequest(pattern: string): Promise<void>;
  /** Files the extension downloaded and the browser finished writing, oldest first. */
  downloads(): Promise<SavedFile[]>;
  /** The browser's cookies (the session cookie among them, which the page itself may not read). */
  cookies(): Promise<{ name: string; value: string }[]>;
  clearCookies(): Promise<void>;
  close(): Promise<void>;
}
