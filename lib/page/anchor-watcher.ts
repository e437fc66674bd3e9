/**
 * Runs a page feature while its anchor is in the page: set up once per anchor, torn down (signal aborted) when the
 * anchor leaves or the SPA swaps it for another, so in-app navigation never leaves duplicates or listeners behind.
 *
 * The check is batched to one per animation frame, so a page that mutates a lot pays for one cheap query a frame.
 */
export type FeatureMount<T> = (anchor: T, signal: AbortSignal) => void;

export function watchAnchor<T extends object>(
  target: Node,
  find: () => T | null,
  mount: FeatureMount<T>,
  signal: AbortSignal,
  options: {
    /** Whether a newly found anchor is the one already mounted (default: the same object). */
    isSame?: (mounted: T, found: T) => boolean;
    schedule?: (callback: () => void) => void;
  } = {},
): void {
  const isSame = options.isSame ?? ((mounted, found) => mounted === found);
  const schedule = options.schedule ?? ((callback) => requestAnimationFrame(callback));
  let current: { anchor: T; controller: AbortController } | null = null;
  let scheduled = false;

  const check = () => {
    scheduled = false;
    if (signal.aborted) return;
    const anchor = find();
    if (current && anchor && isSame(current.anchor, anchor)) return;
    current?.controller.abort();
    current = null;
    if (!anchor) return;
    const controller = new AbortController();
    current = { anchor, controller };
    mount(anchor, controller.signal);
  };

  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    schedule(check);
  });
  observer.observe(target, { childList: true, subtree: true, characterData: true });
  signal.addEventListener(
    'abort',
    () => {
      observer.disconnect();
      current?.controller.abort();
      current = null;
    },
    { once: true },
  );
  check();
}
