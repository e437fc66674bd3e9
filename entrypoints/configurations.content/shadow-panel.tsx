/**
 * Mounts one of our panels in a shadow root next to a section of the product's page, with the page's look (light
 * or dark, its font) and its spacing, and removes it with every listener when the signal aborts.
 */
import { render, type VNode } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { hostLook } from '../../lib/page/theme';
import css from '../../components/panel.css?inline';

export interface ShadowPanelOptions {
  name: string;
  /** The product's element the panel sits beside. */
  anchor: HTMLElement;
  append: 'after' | 'before' | 'last' | 'first';
  view: VNode;
}

export async function mountShadowPanel(
  ctx: ContentScriptContext,
  options: ShadowPanelOptions,
  signal: AbortSignal,
): Promise<HTMLElement | null> {
  const ui = await createShadowRootUi(ctx, {
    name: options.name,
    position: 'inline',
    anchor: options.anchor,
    append: options.append,
    css,
    isolateEvents: true,
    onMount(container) {
      render(options.view, container);
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  if (signal.aborted) return null;
  ui.mount();
  keepPageSpacing(ui.shadowHost, options.anchor);
  matchHostLook(ui.shadowHost, options.anchor, signal);
  signal.addEventListener('abort', () => ui.remove(), { once: true });
  return ui.shadowHost;
}

/**
 * WXT resets the host element with `:host { all: initial }`, which also drops our own `:host` margin; a style on
 * the element itself wins over both, so the panel gets the gap the product leaves between its own sections.
 */
function keepPageSpacing(host: HTMLElement, section: HTMLElement) {
  const style = getComputedStyle(section);
  host.style.display = 'block';
  host.style.marginBlock = `${style.marginBottom || '16px'}`;
}

/** Light or dark and the font as the page around the panel has them, again whenever the system setting flips. */
function matchHostLook(host: HTMLElement, section: HTMLElement, signal: AbortSignal) {
  const systemDark = matchMedia('(prefers-color-scheme: dark)');
  const apply = () => {
    const look = hostLook(section, systemDark.matches);
    host.dataset.theme = look.theme;
    if (look.fontFamily) host.style.setProperty('--porter-host-font', look.fontFamily);
  };
  apply();
  systemDark.addEventListener('change', apply, { signal });
}
