import * as z from 'zod/mini';

/** What to make a blob URL of (lib/store/download-blob.ts): a cached package, or a bulk export's archive. */
const downloadSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('package'), id: z.string() }),
  z.object({ kind: z.literal('archive'), id: z.string() }),
]);

export const offscreenRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('offscreen:blob-url'), source: downloadSourceSchema }),
  z.object({ type: z.literal('offscreen:revoke'), url: z.string() }),
  /** Lay the cached package's flow out for the viewer (entrypoints/background/layout-ahead.ts). */
  z.object({ type: z.literal('offscreen:layout'), packageId: z.string() }),
]);
export type OffscreenRequest = z.infer<typeof offscreenRequestSchema>;

export const blobUrlAnswerSchema = z.union([
  z.object({ ok: z.literal(true), url: z.string() }),
  // `missing`: nothing stored under that id (retrying cannot help); otherwise the URL could not be made.
  z.object({ ok: z.literal(false), missing: z.optional(z.boolean()) }),
]);
