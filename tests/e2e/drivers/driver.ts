/**
 * The one browser interface the end-to-end scenarios are written against, so that each runs in Chromium
 * (Playwright) and in Firefox (puppeteer-core over WebDriver BiDi) alike.
 * Elements are found by role and accessible name, as a user finds them (`locate.ts`).
 */
export type Engine = 'chromium' | 'firefox';

export type Role =
  | 'alert'
  | 'button'
  | 'combobox'
  | 'group'
  | 'heading'
  /** Any element named by `aria-label` or `aria-labelledby` (what Playwright's getByLabel finds). */
  | 'labelled'
  | 'link'
  | 'navigation'
  | 'progressbar'
  | 'region'
  | 'row'
  | 'status'
  | 'tab'
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
  within?: Target;
}

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
  /**
   * Opens one of the extension's pages (`viewer.html`). Firefox does not let a driver navigate to `moz-extension://`,
   * so there it is opened by an extension page already open (the viewer the panel opened, say).
   */
  openExtensionPage(file: string): Promise<Tab>;
  /** Files the extension downloaded and the browser finished writing, oldest first. */
  downloads(): Promise<SavedFile[]>;
  /** The browser's cookies (the session cookie among them, which the page itself may not read). */
  cookies(): Promise<{ name: string; value: string }[]>;
  clearCookies(): Promise<void>;
  close(): Promise<void>;
}
