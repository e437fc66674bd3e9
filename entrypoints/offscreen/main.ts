/**
 * Chrome's worker cannot make blob URLs; this offscreen document does it for the downloads API, reading the
 * package from the extension's own IndexedDB so that no bytes travel through messages.
 */
import { offscreenRequestSchema } from '../../lib/worker/offscreen-protocol';
import { PorterDatabase, packageBytes } from '../../lib/store/db';

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
  packageBytes(db, request.packageId).then(
    (bytes) =>
      sendResponse(
        bytes
          ? { ok: true, url: URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' })) }
          : { ok: false },
      ),
    () => sendResponse({ ok: false }),
  );
  return true;
});
