/**
 * Chrome's worker cannot make blob URLs nor start Web Workers; this offscreen document does both: blob URLs for the
 * downloads API, reading the package (or a bulk export's archive) from the extension's own IndexedDB so that no
 * bytes travel through messages, and the worker that lays an exported flow out for the viewer.
 */
import { offscreenRequestSchema } from '../../lib/worker/offscreen-protocol';
import { PorterDatabase } from '../../lib/store/db';
import { downloadBlob } from '../../lib/store/download-blob';
import { layOutInWorker } from '../background/layout-in-worker';

const db = new PorterDatabase();

browser.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (answer: unknown) => void) => {
  const parsed = offscreenRequestSchema.safeParse(message);
  if (!parsed.success || sender.id !== browser.runtime.id) return undefined;
  const request = parsed.data;
  if (request.type === 'offscreen:revoke') {
    URL.revokeObjectURL(request.url);
    sendResponse({ ok: true });
    return undefined;
  }
  if (request.type === 'offscreen:layout') {
    void layOutInWorker(request.packageId).then((done) => sendResponse({ ok: done }));
    return true;
  }
  downloadBlob(db, request.source).then(
    (blob) =>
      sendResponse(blob ? { ok: true, url: URL.createObjectURL(blob) } : { ok: false, missing: true }),
    () => sendResponse({ ok: false }),
  );
  return true;
});
