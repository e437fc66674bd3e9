/** Messages the worker sends to a tab's content script: job updates, and requests to make from the page. */
import * as z from 'zod/mini';
import { jobSnapshotSchema } from './export';
import { importSnapshotSchema } from './import';
import { bulkSnapshotSchema } from './bulk';

export const tabMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job:update'), job: jobSnapshotSchema }),
  z.object({ type: z.literal('import:update'), job: importSnapshotSchema }),
  z.object({ type: z.literal('bulk:update'), job: bulkSnapshotSchema }),
  z.object({
    type: z.literal('proxy:fetch'),
    url: z.string(),
    method: z.enum(['GET', 'POST', 'DELETE']),
    headers: z.record(z.string(), z.string()),
    body: z.optional(z.string()),
  }),
]);
export type TabMessage = z.infer<typeof tabMessageSchema>;

export const proxyResponseSchema = z.object({
  status: z.number(),
  statusText: z.string(),
  contentType: z.string(),
  body: z.string(),
});
export type ProxyResponse = z.infer<typeof proxyResponseSchema>;
