/**
 * Finds elements by role and accessible name, as a user finds them, in the page itself, walking open shadow roots
 * (the panel lives in one): Puppeteer has no role locators that pierce them. The same code runs in both browsers.
 */
import type { Role, Target } from './driver';

/** `Target` as it crosses into the page: regular expressions travel as source and flags. */
export type WireText = string | { source: string; flags: string };
export interface WireTarget {
  role: Role;
  name?: WireText;
  hasText?: WireText;
  level?: number;
  nth?: number;
  within?: WireTarget;
}

export function wireText(text: string | RegExp | undefined): WireText | undefined {
  return text instanceof RegExp ? { source: text.source, flags: text.flags } : text;
}

export function toWire(target: Target): WireTarget {
  return {
    role: target.role,
    name: wireText(target.name),
    hasText: wireText(target.hasText),
    level: target.level,
    nth: target.nth,
    within: target.within && toWire(target.within),
  };
}

/**
 * Every visible element that matches, in document order, looking into open shadow roots. Runs in the page: it is
 * serialized, so it must not refer to anything outside itself.
 */
export function locateAll(target: WireTarget): Element[] {
  const selectors: Record<Role, string> = {
    alert: '[role=alert]',
    button: 'button,[role=button],input[type=submit],input[type=button]',
    cell: 'td,[role=cell],[role=gridcell]',
    checkbox: 'input[type=checkbox],[role=checkbox],[role=switch]',
    columnheader: 'th,[role=columnheader]',
    combobox: 'select,[role=combobox]',
    dialog: 'dialog,[role=dialog],[role=alertdialog]',
    file: 'input[type=file]',
    group: 'fieldset,[role=group]',
    heading: 'h1,h2,h3,h4,h5,h6,[role=heading]',
    img: 'img,[role=img]',
    labelled: '[aria-label],[aria-labelledby]',
    link: 'a[href],[role=link]',
    list: 'ul,ol,[role=list]',
    listitem: 'li,[role=listitem]',
    main: 'main,[role=main]',
    navigation: 'nav,[role=navigation]',
    option: 'option,[role=option]',
    progressbar: 'progress,[role=progressbar]',
    radio: 'input[type=radio],[role=radio]',
    region: '[role=region],section[aria-label],section[aria-labelledby]',
    row: 'tr,[role=row]',
    searchbox: 'input[type=search],[role=searchbox]',
    status: '[role=status],output',
    tab: '[role=tab]',
    table: 'table,[role=table],[role=grid]',
    tabpanel: '[role=tabpanel]',
    textbox:
      'textarea,[role=textbox],input:not([type]),input[type=text],input[type=email],input[type=password],input[type=search],input[type=url]',
    text: '*',
  };
  const clean = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
  const matches = (text: string, wanted: WireText) =>
    typeof wanted === 'string'
      ? text.toLowerCase().includes(wanted.toLowerCase())
      : new RegExp(wanted.source, wanted.flags).test(text);
  const shows = (el: Element) =>
    typeof el.checkVisibility === 'function'
      ? el.checkVisibility({ visibilityProperty: true })
      : el.getClientRects().length > 0;
  // A field styled away behind its label (a file button, a custom checkbox) shows as its label; an option, as its list.
  const visible = (el: Element): boolean => {
    if (shows(el)) return true;
    const list = el instanceof HTMLOptionElement ? el.closest('select') : null;
    if (list) return visible(list);
    return el instanceof HTMLInputElement && Array.from(el.labels ?? []).some(shows);
  };
  const isField = (el: Element) => /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName);
  const nameOf = (el: Element): string => {
    const label = el.getAttribute('aria-label');
    if (label) return clean(label);
    const root = el.getRootNode() as Document | ShadowRoot;
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) {
      return clean(
        labelledBy
          .split(/\s+/)
          .map((id) => root.getElementById(id)?.textContent ?? '')
          .join(' '),
      );
    }
    if (el.tagName === 'IMG') return clean(el.getAttribute('alt'));
    if (isField(el)) {
      const byFor = el.id ? root.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
      const wrapping = el.closest('label');
      return clean((byFor ?? wrapping)?.textContent ?? el.getAttribute('title'));
    }
    return clean(el.textContent);
  };
  const levelOf = (el: Element) => Number(el.getAttribute('aria-level') ?? /^H(\d)$/.exec(el.tagName)?.[1]);
  const descendants = (root: Element | Document | ShadowRoot): Element[] => {
    const found: Element[] = [];
    const walk = (node: Element | Document | ShadowRoot) => {
      for (const el of Array.from(node.querySelectorAll('*'))) {
        found.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    if (root instanceof Element && root.shadowRoot) walk(root.shadowRoot);
    walk(root);
    return found;
  };

  let scope: Element | Document = document;
  if (target.within) {
    const [parent] = locateAll(target.within);
    if (!parent) return [];
    scope = parent;
  }
  const nth = (all: Element[]) => (target.nth === undefined ? all : all.slice(target.nth, target.nth + 1));
  const found = descendants(scope).filter((el) => {
    if (!el.matches(selectors[target.role]) || !visible(el)) return false;
    if (target.level !== undefined && levelOf(el) !== target.level) return false;
    if (target.hasText !== undefined && !matches(clean(el.textContent), target.hasText)) return false;
    if (target.name === undefined) return true;
    return matches(nameOf(el), target.name);
  });
  if (target.role !== 'text') return nth(found);
  // The innermost elements whose text matches, not every ancestor of them.
  return nth(found.filter((el) => !found.some((other) => other !== el && el.contains(other))));
}

/**
 * A function to run in the page, with `locateAll` inside it: drivers send a function's source, not its closure.
 * `__name` is what esbuild (tsx) wraps named functions in when it compiles this file; in the page it does nothing.
 */
function inPage<A, R>(body: string): (arg: A) => R {
  return new Function('arg', `const __name = (f) => f; ${locateAll}; return (${body})(arg);`) as (
    arg: A,
  ) => R;
}

export const firstMatch = inPage<WireTarget, Element | null>('(target) => locateAll(target)[0] ?? null');

export type Query = 'count' | 'text' | 'selected' | 'disabled' | 'checked' | 'value' | { attribute: string };

/** Reads what the scenarios ask of the matches. */
export const query = inPage<[WireTarget, Query], number | string | boolean | null>(`([target, query]) => {
  const all = locateAll(target);
  const first = all[0];
  if (query === 'count') return all.length;
  if (!first) return null;
  if (query === 'text') return (first.innerText ?? first.textContent ?? '').trim();
  if (query === 'disabled') return first.matches(':disabled') || first.getAttribute('aria-disabled') === 'true';
  if (query === 'checked') return 'checked' in first ? first.checked : first.getAttribute('aria-checked') === 'true';
  if (query === 'value') return 'value' in first ? String(first.value) : null;
  if (typeof query === 'object') return first.getAttribute(query.attribute);
  const option = first.selectedOptions?.[0];
  return option ? option.textContent.trim() : null;
}`);

/** A file as it crosses into the page: its bytes in base64. */
export interface WireFile {
  name: string;
  type: string;
  base64: string;
}

/** Drops a file on the first match as a drag from the desktop would: dragenter, dragover, then drop. */
export const dropFile = inPage<[WireTarget, WireFile], string | null>(`([target, file]) => {
  const zone = locateAll(target)[0];
  if (!zone) return 'nothing to drop on';
  const bytes = Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], file.name, { type: file.type }));
  for (const type of ['dragenter', 'dragover', 'drop']) {
    zone.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true, composed: true }));
  }
  return null;
}`);

/** Picks a `<select>`'s option by label the way a user's choice does: the value set, then input and change. */
export const selectOption = inPage<[WireTarget, WireText], string | null>(`([target, wanted]) => {
  const select = locateAll(target)[0];
  if (!select) return 'no such list';
  const fits = (label) =>
    typeof wanted === 'string' ? label.includes(wanted) : new RegExp(wanted.source, wanted.flags).test(label);
  const option = Array.from(select.options).find((o) => fits(o.textContent.trim()));
  if (!option) return 'no such option';
  select.value = option.value;
  select.dispatchEvent(new Event('input', { bubbles: true }));
  select.dispatchEvent(new Event('change', { bubbles: true }));
  return null;
}`);
