/**
 * The content script's side of the worker protocol: typed requests, and the job updates the worker pushes.
 */
import {
  responseDataSchemas,
  responseSchema,
  tabMessageSchema,
  type JobSnapshot,
  type WorkerRequest,
  type WorkerResponse,
  type WorkerResponses,
} from '../../lib/messages';

const UNREACHABLE = {
  code: 'EXTENSION_UNAVAILABLE',
  message: 'AFP Porter was updated or restarted. Reload this page to use it again.',
  retryable: false,
};

export async function sendToWorker<T extends WorkerRequest>(
  request: T,
): Promise<WorkerResponse<WorkerResponses[T['type']]>> {
  try {
    const answer = await browser.runtime.sendMessage(request);
    const parsed = responseSchema(responseDataSchemas[request.type]).safeParse(answer);
    if (parsed.success) return parsed.data as WorkerResponse<WorkerResponses[T['type']]>;
    return {
      ok: false,
      error: {
        ...UNREACHABLE,
        code: 'BAD_RESPONSE',
        message: 'AFP Porter answered in an unexpected way. Reload this page.',
      },
    };
  } catch {
    return { ok: false, error: UNREACHABLE };
  }
}

export function jobUpdates(listener: (job: JobSnapshot) => void, signal: AbortSignal): () => void {
  const onMessage = (message: unknown) => {
    const parsed = tabMessageSchema.safeParse(message);
    if (parsed.success && parsed.data.type === 'job:update') listener(parsed.data.job);
  };
  browser.runtime.onMessage.addListener(onMessage);
  const stop = () => browser.runtime.onMessage.removeListener(onMessage);
  signal.addEventListener('abort', stop, { once: true });
  return stop;
}
