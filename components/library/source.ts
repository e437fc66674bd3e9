/**
 * The library's data for the popup and the viewer: the cache in IndexedDB, and the worker for saving a package
 * to disk (a page's own download would be cut off when the popup closes).
 */
import {
  cacheLimit,
  deletePackage,
  listPackages,
  setCacheLimit,
  type PorterDatabase,
} from '../../lib/store/db';
import { MESSAGES, responseSchema, type WorkerRequest } from '../../lib/protocol';
import type { LibrarySource } from './PackageLibrary';

const downloadAnswer = responseSchema(MESSAGES['package:download'].response);

export function librarySource(
  db: PorterDatabase,
  send: (request: WorkerRequest) => Promise<unknown>,
): LibrarySource {
  return {
    list: () => listPackages(db),
    remove: (id) => deletePackage(db, id),
    async download(packageId) {
      const answer = downloadAnswer.safeParse(await send({ type: 'package:download', packageId }));
      if (!answer.success) throw new Error('AFP Porter did not answer. Try again.');
      if (!answer.data.ok) throw new Error(answer.data.error.message);
      return answer.data.data.savedAs;
    },
    keep: () => cacheLimit(db),
    setKeep: (count) => setCacheLimit(db, count),
  };
}
