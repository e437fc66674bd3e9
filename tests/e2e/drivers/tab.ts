/**
 * What both drivers' tabs share: the scenarios' actions and reads, built on the few calls each browser does its own
 * way (evaluate in the page, a handle on an element, typing).
 */
import type { Tab, Target } from './driver';
import { firstMatch, query, selectOption, toWire, wireText, type Query, type WireTarget } from './locate';

/** As long as Playwright waits for an element before it gives up. */
const ELEMENT_TIMEOUT_MS = 15_000;

export interface ElementLike {
  click(): Promise<void>;
  dispose(): Promise<void>;
}

export abstract class DriverTab<Handle extends ElementLike> implements Tab {
  abstract goto(url: string): Promise<void>;
  abstract url(): Promise<string>;
  abstract back(): Promise<void>;
  abstract forward(): Promise<void>;
  abstract evaluate<R, A>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R>;
  abstract close(): Promise<void>;
  protected abstract handleOf(
    fn: (target: WireTarget) => Element | null,
    target: WireTarget,
  ): Promise<Handle | null>;
  protected abstract typeInto(element: Handle, value: string): Promise<void>;

  /** The first visible match, waiting for it as a user would wait for the page. */
  private async element(target: Target): Promise<Handle> {
    const deadline = Date.now() + ELEMENT_TIMEOUT_MS;
    for (;;) {
      const handle = await this.handleOf(firstMatch, toWire(target));
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
    await this.typeInto(element, value);
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
}

function describe(target: Target): string {
  const name = target.name === undefined ? '' : ` ${String(target.name)}`;
  const within = target.within ? ` in ${describe(target.within)}` : '';
  return `${target.role}${name}${within}`;
}
