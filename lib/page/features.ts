/**
 * The page-feature registry: every feature the content script adds to the product's pages is one module with
 * `{id, find, mount(anchor, signal)}`, and `runFeatures` runs them all. Each one is mounted while its anchor is in
 * the page and torn down (its signal aborted) when the anchor goes or the SPA navigates away, independently of the
 * others: one feature failing never takes another down (refined-github's feature manager does the same).
 */
import { watchAnchor } from './anchor-watcher';

export interface PageFeature<A extends object, Env = unknown> {
  id: string;
  /** The place in the page the feature attaches to, or null when this page has none. */
  find(root: Document): A | null;
  /** Whether a newly found anchor is the one already mounted (default: the same object). */
  isSame?(mounted: A, found: A): boolean;
  mount(anchor: A, signal: AbortSignal, env: Env): void | Promise<void>;
}

export function runFeatures<Env>(
  features: readonly PageFeature<object, Env>[],
  root: Document,
  env: Env,
  signal: AbortSignal,
  options: { schedule?: (callback: () => void) => void; onError?: (id: string, error: unknown) => void } = {},
): void {
  for (const feature of features) {
    const report = (error: unknown) => options.onError?.(feature.id, error);
    watchAnchor(
      root.body,
      () => {
        try {
          return feature.find(root);
        } catch (error) {
          report(error);
          return null;
        }
      },
      (anchor, featureSignal) => {
        try {
          void Promise.resolve(feature.mount(anchor, featureSignal, env)).catch(report);
        } catch (error) {
          report(error);
        }
      },
      signal,
      { isSame: feature.isSame, schedule: options.schedule },
    );
  }
}
