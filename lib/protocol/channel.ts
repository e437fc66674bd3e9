/**
 * The sending side of the protocol, for content scripts and extension pages: typed requests, answers checked
 * against the message's response schema, and a worker that is gone said in words. `send` is the browser's
 * `runtime.sendMessage`, passed in so that this stays free of browser APIs.
 */
import { MESSAGES, type MessageType, type RequestOf, type ResponseOf } from './index';
import { responseSchema, type UiError, type WorkerResponse } from './common';

const UNREACHABLE: UiError = {
  code: 'EXTENSION_UNAVAILABLE',
  message: 'AFP Porter was updated or restarted. Reload this page to use it again.',
  retryable: false,
};

const BAD_RESPONSE: UiError = {
  code: 'BAD_RESPONSE',
  message: 'AFP Porter answered in an unexpected way. Reload this page.',
  retryable: false,
};

export type SendToWorker = <K extends MessageType>(
  request: RequestOf<K>,
) => Promise<WorkerResponse<ResponseOf<K>>>;

export function workerChannel(send: (message: unknown) => Promise<unknown>): SendToWorker {
  return async <K extends MessageType>(request: RequestOf<K>) => {
    try {
      const answer = await send(request);
      const parsed = responseSchema(MESSAGES[request.type].response).safeParse(answer);
      if (parsed.success) return parsed.data as WorkerResponse<ResponseOf<K>>;
      return { ok: false, error: BAD_RESPONSE };
    } catch {
      return { ok: false, error: UNREACHABLE };
    }
  };
}
