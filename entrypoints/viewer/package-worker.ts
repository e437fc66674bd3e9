/** Reads a package off the viewer's main thread: a 2,000-node flow takes longer than a frame to validate. */
import { failureOf, readForViewer } from '../../components/viewer/load';

self.onmessage = (event: MessageEvent<{ id: number; bytes: Uint8Array }>) => {
  const { id, bytes } = event.data;
  try {
    self.postMessage({ id, ok: true, read: readForViewer(bytes) });
  } catch (error) {
    self.postMessage({ id, ok: false, failure: failureOf(error) });
  }
};
