/**
 * The content script's side of the worker protocol: typed requests, and the job updates the worker pushes.
 */
import { tabMessageSchema, type TabMessage } from '../../lib/protocol';
import { workerChannel } from '../../lib/protocol/channel';

export const sendToWorker = workerChannel((message) => browser.runtime.sendMessage(message));

type JobUpdate = Exclude<TabMessage, { type: 'proxy:fetch' }>;

/** Calls `listener` with every job update the worker pushes to this tab, until `signal` aborts. */
export function jobUpdates(listener: (update: JobUpdate) => void, signal: AbortSignal): () => void {
  const onMessage = (message: unknown) => {
    const parsed = tabMessageSchema.safeParse(message);
    if (parsed.success && parsed.data.type !== 'proxy:fetch') listener(parsed.data);
  };
  browser.runtime.onMessage.addListener(onMessage);
  const stop = () => browser.runtime.onMessage.removeListener(onMessage);
  signal.addEventListener('abort', stop, { once: true });
  return stop;
}
