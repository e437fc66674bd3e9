const TAB_TIMEOUT_MS = 15_000;

/** Polls until `done` holds, or throws `failure` after as long as a tab may take to open. */
export async function until(done: () => Promise<boolean>, failure: string): Promise<void> {
  const deadline = Date.now() + TAB_TIMEOUT_MS;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The first open tab whose address fits, waiting for one to open or to arrive there. */
export async function waitFor<T>(
  fits: (url: string) => boolean,
  tabs: () => Promise<T[]>,
  urlOf: (tab: T) => Promise<string>,
): Promise<T> {
  let found: T | undefined;
  await until(async () => {
    for (const tab of await tabs()) if (fits(await urlOf(tab))) found = tab;
    return found !== undefined;
  }, 'No such tab opened');
  return found!;
}
