/**
 * What both drivers' tabs share: the scenarios' actions and reads, built on the few calls each browser does its own
 * way (evaluate in the page, a handle on an element, typing).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Tab, Target, TestFile } from './driver';
import { AXE_SOURCE, seriousViolations } from './axe';
import {
  dropFile,
  firstMatch,
  query,
  selectOption,
  toWire,
  wireText,
  type Query,
  type WireFile,
  type WireTarget,
} from './locate';

/** As long as Playwright waits for an element before it gives up. */
const ELEMENT_TIMEOUT_MS = 15_000;

export interface ElementLike {
  click(): Promise<void>;
  dispose(): Promise<void>;
}

/** What Playwright's and Puppeteer's pages both offer (their typings differ in overloads only). */
export interface PageLike<Element extends ElementLike> {
  goto(url: string): Promise<unknown>;
  evaluate(fn: (arg: never) => unknown, arg: unknown): Promise<unknown>;
  /** Runs a script's source in the page (both drivers take a string as code to run). */
  evaluate(source: string): Promise<unknown>;
  evaluateHandle(
    fn: (arg: never) => unknown,
    arg: unknown,
  ): Promise<{ asElement(): Element | null; dispose(): Promise<void> }>;
  /** Makes this the tab shown in its window, as the one a user acts in is. */
  bringToFront(): Promise<void>;
  close(): Promise<void>;
}

/** What each browser does its own way. */
export interface TabWays<Element extends ElementLike> {
  goto(url: string): Promise<void>;
  url(): Promise<string>;
  typeInto(element: Element, value: string): Promise<void>;
  /** Sets a file input's files (Playwright takes bytes, Puppeteer paths). */
  choose(element: Element, files: TestFile[]): Promise<void>;
}

/**
 * Every action (an address, a history step, a click, typing, a choice, a drop) is made in the tab shown in front, as a
 * user makes it. A tab behind another is not one a user acts in, and Firefox lets a hidden tab's timers and animation
 * frames run once a second at most, so every step of a page there waits about a second: the host-grant export took
 * 15 s in Firefox while its tab sat behind another (issue #9). Reads leave the tab where it is.
 */
export class BrowserTab<Element extends ElementLike> implements Tab {
  constructor(
    private readonly page: PageLike<Element>,
    private readonly ways: TabWays<Element>,
  ) {}

  async goto(url: string): Promise<void> {
    await this.page.bringToFront();
    await this.ways.goto(url);
  }
  url(): Promise<string> {
    return this.ways.url();
  }
  // Through the page's own history, not the driver's goBack: Firefox 140's BiDi driver waits for a load that a
  // same-document (SPA) history step never fires. The step is queued so that a full navigation cannot cut the call
  // short; the scenario then waits for what it expects to see.
  async back(): Promise<void> {
    await this.page.bringToFront();
    await this.page.evaluate(() => void setTimeout(() => history.back()), undefined);
  }
  async forward(): Promise<void> {
    await this.page.bringToFront();
    await this.page.evaluate(() => void setTimeout(() => history.forward()), undefined);
  }
  evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
    return this.page.evaluate(fn as (arg: never) => unknown, arg) as Promise<R>;
  }
  async close(): Promise<void> {
    await this.page.close();
  }

  private async handleOf(target: WireTarget): Promise<Element | null> {
    const handle = await this.page.evaluateHandle(firstMatch as (arg: never) => unknown, target);
    const element = handle.asElement();
    if (!element) await handle.dispose();
    return element;
  }

  /** The first visible match, in the tab brought to the front, waiting for it as a user would wait for the page. */
  private async element(target: Target): Promise<Element> {
    await this.page.bringToFront();
    const deadline = Date.now() + ELEMENT_TIMEOUT_MS;
    for (;;) {
      const handle = await this.handleOf(toWire(target));
      if (handle) return handle;
      if (Date.now() > deadline)
        throw new Error(`Nothing on ${await this.url()} matches ${describe(target)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async click(target: Target): Promise<void> {
    const element = await this.element(target);
    await element.click();
    await element.dispose();
  }

  async fill(target: Target, value: string): Promise<void> {
    const element = await this.element(target);
    await this.ways.typeInto(element, value);
    await element.dispose();
  }

  async select(target: Target, option: string | RegExp): Promise<void> {
    await (await this.element(target)).dispose();
    const problem = await this.evaluate(selectOption, [toWire(target), wireText(option)!]);
    if (problem) throw new Error(`${describe(target)}: ${problem} ${String(option)}`);
  }

  private ask(target: Target, what: Query) {
    return this.evaluate(query, [toWire(target), what]);
  }

  async count(target: Target): Promise<number> {
    return (await this.ask(target, 'count')) as number;
  }

  async text(target: Target): Promise<string | null> {
    return (await this.ask(target, 'text')) as string | null;
  }

  async selected(target: Target): Promise<string | null> {
    return (await this.ask(target, 'selected')) as string | null;
  }

  async disabled(target: Target): Promise<boolean | null> {
    return (await this.ask(target, 'disabled')) as boolean | null;
  }

  async checked(target: Target): Promise<boolean | null> {
    return (await this.ask(target, 'checked')) as boolean | null;
  }

  async check(target: Target, checked = true): Promise<void> {
    const element = await this.element(target);
    if ((await this.checked(target)) !== checked) await element.click();
    await element.dispose();
    if ((await this.checked(target)) !== checked)
      throw new Error(`${describe(target)} did not turn ${checked}`);
  }

  async value(target: Target): Promise<string | null> {
    return (await this.ask(target, 'value')) as string | null;
  }

  async attribute(target: Target, name: string): Promise<string | null> {
    return (await this.ask(target, { attribute: name })) as string | null;
  }

  async choose(target: Target, files: TestFile[]): Promise<void> {
    const element = await this.element(target);
    await this.ways.choose(element, files);
    await element.dispose();
  }

  async drop(target: Target, file: TestFile): Promise<void> {
    await (await this.element(target)).dispose();
    const problem = await this.evaluate(dropFile, [toWire(target), wireFile(file)]);
    if (problem) throw new Error(`${describe(target)}: ${problem}`);
  }

  async accessibilityViolations(): Promise<string[]> {
    await this.page.evaluate(AXE_SOURCE);
    return this.evaluate(seriousViolations, undefined);
  }
}

const MIME_TYPES: Record<string, string> = { '.zip': 'application/zip', '.json': 'application/json' };

/** A test file's name, bytes and type, read from disk when it is given by its path. */
export function fileParts(file: TestFile): { name: string; bytes: Uint8Array; mimeType: string } {
  const { name, bytes, mimeType } =
    typeof file === 'string'
      ? { name: path.basename(file), bytes: readFileSync(file), mimeType: undefined }
      : file;
  return { name, bytes, mimeType: mimeType ?? MIME_TYPES[path.extname(name)] ?? 'application/octet-stream' };
}

function wireFile(file: TestFile): WireFile {
  const { name, bytes, mimeType } = fileParts(file);
  return { name, type: mimeType, base64: Buffer.from(bytes).toString('base64') };
}

function describe(target: Target): string {
  const name = target.name === undefined ? '' : ` ${String(target.name)}`;
  const within = target.within ? ` in ${describe(target.within)}` : '';
  return `${target.role}${name}${within}`;
}
