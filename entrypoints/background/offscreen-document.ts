/**
 * Chrome's offscreen document (entrypoints/offscreen), for what its service worker cannot do: make blob URLs for
 * downloads, start Web Workers for the layout ahead of the viewer. Created on demand and closed a while after the
 * last user is done with it.
 */
import type { OffscreenRequest } from '../../lib/worker/offscreen-protocol';

const OFFSCREEN_PATH = '/offscreen.html';
let creating: Promise<void> | null = null;
let closing: Promise<void> | null = null;
/** Work holding the document (a download's blob URL, a layout); it is closed a while after the last one ends. */
let users = 0;
/**
 * The document is a whole hidden page: it is closed when nothing has needed it for this long. Shorter than
 * the worker's own idle stop (30 s), so the timer is not lost with the worker; long enough for back-to-back
 * exports not to pay for a new page each time.
 */
const OFFSCREEN_IDLE_MS = 10_000;
let idleClose: ReturnType<typeof setTimeout> | undefined;

export function closeOffscreenWhenIdle(): void {
  clearTimeout(idleClose);
  idleClose = setTimeout(() => {
    if (users > 0) return;
    closing = browser.offscreen
      .closeDocument()
      .catch(() => undefined)
      .finally(() => {
        closing = null;
      });
  }, OFFSCREEN_IDLE_MS);
}

export async function ensureOffscreenDocument(): Promise<void> {
  await closing;
  // A document being created is listed before its script listens: wait for it rather than message it too early.
  if (creating) return creating;
  const url = browser.runtime.getURL(OFFSCREEN_PATH);
  const contexts = await browser.runtime.getContexts({
    contextTypes: ['OFFSCREEN_DOCUMENT'],
    documentUrls: [url],
  });
  if (contexts.length > 0) return;
  creating ??= browser.offscreen
    .createDocument({
      url: OFFSCREEN_PATH,
      reasons: ['BLOBS', 'WORKERS'],
      justification:
        'Turn a cached workflow package into a blob URL for the downloads API, and lay out a large exported flow in a worker for the package viewer.',
    })
    .finally(() => {
      creating = null;
    });
  await creating;
}

export async function askOffscreen(request: OffscreenRequest): Promise<unknown> {
  await ensureOffscreenDocument();
  return browser.runtime.sendMessage(request);
}

/** Keeps the document open until the returned release is called. */
export function holdOffscreen(): () => void {
  users++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--users === 0) closeOffscreenWhenIdle();
  };
}
