import * as z from 'zod/mini';

export const offscreenRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('offscreen:blob-url'), packageId: z.string() }),
  z.object({ type: z.literal('offscreen:revoke'), url: z.string() }),
]);
export type OffscreenRequest = z.infer<typeof offscreenRequestSchema>;

export const blobUrlAnswerSchema = z.union([
  z.object({ ok: z.literal(true), url: z.string() }),
  z.object({ ok: z.literal(false) }),
]);
