/**
 * The worker's message router: who may ask, and which handler answers, with the answer as data.
 *
 * Only the extension's own contexts are served: its pages, and its content scripts on an origin the extension
 * holds a host permission for. The origin a request acts on is the sender's, never a value inside the message, so
 * a page cannot point the worker at another host. What each message does is its feature's handler
 * (./handlers/<feature>.ts); this file knows no feature.
 */
import { parseRequest, type MessageType, type RequestOf, type WorkerResponse } from '../protocol';
import { JobError, toUiError } from '../jobs/errors';
import { HANDLERS } from './handlers';
import type { Caller, Handler, HandlerDeps } from './handlers/types';

export type { Caller } from './handlers/types';

export interface SenderInfo {
  /** The sending extension's id. */
  id?: string;
  /** The sending document's URL (a page of the platform, or one of our extension pages). */
  url?: string;
  tabId?: number;
}

export interface RouterDeps extends HandlerDeps {
  extensionId: string;
  isOriginAllowed(origin: string): Promise<boolean>;
}

async function identify(sender: SenderInfo, deps: RouterDeps): Promise<Caller | null> {
  if (sender.id !== deps.extensionId || !sender.url) return null;
  let origin: string;
  try {
    origin = new URL(sender.url).origin;
  } catch {
    return null;
  }
  if (origin === deps.extensionOrigin) return { origin, tabId: null };
  if (sender.tabId === undefined || !(await deps.isOriginAllowed(origin))) return null;
  return { origin, tabId: sender.tabId };
}

export async function handleMessage(
  message: unknown,
  sender: SenderInfo,
  deps: RouterDeps,
): Promise<WorkerResponse<unknown> | undefined> {
  const request = parseRequest(message);
  // Not ours (another listener's message, or garbage): stay silent rather than answer.
  if (!request) return undefined;
  const caller = await identify(sender, deps);
  if (!caller) {
    return {
      ok: false,
      error: toUiError(new JobError('NOT_ALLOWED_ORIGIN', 'This page may not use AFP Porter.')),
    };
  }
  const handler = HANDLERS[request.type] as Handler<MessageType>;
  try {
    if (handler.from === 'platform' && caller.origin === deps.extensionOrigin) {
      throw new JobError('NOT_ALLOWED_ORIGIN', 'This starts from a page of the platform.');
    }
    return { ok: true, data: await handler.handle(request as RequestOf<MessageType>, caller, deps) };
  } catch (error) {
    return { ok: false, error: toUiError(error) };
  }
}
