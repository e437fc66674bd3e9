/** The package library's requests that need the worker: saving a cached package to disk again. */
import * as z from 'zod/mini';
import { id, type MessageSpecs } from './common';

export const libraryMessages = {
  /** Saves a cached package again, from the cache (no network); answers the name the browser saved it under. */
  'package:download': {
    request: z.object({ packageId: id }),
    response: z.object({ savedAs: z.nullable(z.string()) }),
  },
} satisfies MessageSpecs;
