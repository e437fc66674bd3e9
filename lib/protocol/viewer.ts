/** Opening the package viewer from a page, on one cached package or on the list. */
import * as z from 'zod/mini';
import { id, type MessageSpecs } from './common';

export const viewerMessages = {
  'viewer:open': { request: z.object({ packageId: z.optional(id) }), response: z.null() },
} satisfies MessageSpecs;
