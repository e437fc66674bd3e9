/**
 * What every feature's messages share: ids, the error for people, the answer envelope, and the shape a feature
 * uses to declare its messages (a zod request and response per message type).
 *
 * Every receiver parses what it gets with these schemas: a message is data from another context, and a content
 * script lives next to an untrusted page. zod/mini keeps the content script's bundle small.
 */
import * as z from 'zod/mini';

export const id = z.string().check(z.minLength(1), z.maxLength(200));

export const uiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  retryable: z.boolean(),
});
export type UiError = z.infer<typeof uiErrorSchema>;

/** One message type: what the caller sends (without `type`) and what the worker answers with. */
export interface MessageSpec {
  request: z.ZodMiniObject;
  response: z.ZodMiniType;
}
export type MessageSpecs = Record<string, MessageSpec>;

/** Every answer is either data or an error for people; never a thrown exception across contexts. */
export type WorkerResponse<T> = { ok: true; data: T } | { ok: false; error: UiError };

export function responseSchema<T extends z.ZodMiniType>(data: T) {
  return z.union([
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: uiErrorSchema }),
  ]);
}
