/** Reads a package off the viewer's main thread: a 2,000-node flow takes longer than a frame to validate. */
import { failureOf, readForViewer } from '../../components/viewer/load';

self.onmessage = (event: MessageEvent<{ id: number; bytes: Uint8Array }>) => {
  const { id, bytes } = event.data;
  try {
    const { content, ...rest } = readForViewer(bytes);
    // Two messages: the page reads (deserialises) each in its own task, neither long enough to block it.
    self.postMessage({ id, content });
    self.postMessage({ id, ok: true, read: rest });
  } catch (error) {
    self.postMessage({ id, ok: false, failure: failureOf(error) });
  }
};
