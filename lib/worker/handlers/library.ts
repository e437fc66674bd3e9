/** The package library's handlers: saving a cached package again, for the extension's own pages only. */
import type { libraryMessages } from '../../protocol/library';
import { JobError } from '../../jobs/errors';
import type { Handlers } from './types';

export const libraryHandlers: Handlers<keyof typeof libraryMessages> = {
  'package:download': {
    from: 'any',
    async handle(request, caller, deps) {
      if (caller.origin !== deps.extensionOrigin)
        throw new JobError('NOT_ALLOWED_ORIGIN', 'Only AFP Porter’s own pages save cached packages.');
      const meta = await deps.db.packages.get(request.packageId);
      if (!meta) throw new JobError('DOWNLOAD_FAILED', 'This package is not in the cache any more.');
      const { savedAs } = await deps.downloads.download(meta.id, meta.fileName);
      return { savedAs: savedAs ?? null };
    },
  },
};
