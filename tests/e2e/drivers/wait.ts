const TAB_TIMEOUT_MS = 15_000;

/** The first open tab whose address matches, waiting for one to open or to arrive there. */
export async function waitFor<T extends { url(): string }>(
  url: RegExp,
  tabs: () => Promise<T[]>,
): Promise<T> {
  const deadline = Date.now() + TAB_TIMEOUT_MS;
  for (;;) {
    const found = (await tabs()).find((tab) => url.test(tab.url()));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`No tab opened at ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
