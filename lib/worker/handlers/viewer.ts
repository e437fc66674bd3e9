/** Opening the package viewer in a new tab. */
import type { viewerMessages } from '../../protocol/viewer';
import type { Handlers } from './types';

export const viewerHandlers: Handlers<keyof typeof viewerMessages> = {
  'viewer:open': {
    from: 'any',
    async handle(request, _caller, deps) {
      await deps.openViewer(request.packageId);
      return null;
    },
  },
};
