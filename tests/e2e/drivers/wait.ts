const TAB_TIMEOUT_MS = 15_000;

/** The first open tab whose address fits, waiting for one to open or to arrive there. */
export async function waitFor<T>(
  fits: (url: string) => boolean,
  tabs: () => Promise<T[]>,
  urlOf: (tab: T) => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + TAB_TIMEOUT_MS;
  for (;;) {
    for (const tab of await tabs()) if (fits(await urlOf(tab))) return tab;
    if (Date.now() > deadline) throw new Error('No such tab opened');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
