/**
 * Lays a just-exported package's flow out with ELK, in the background, so that the viewer's first visit finds the
 * layout kept (a cold ELK takes seconds on a 2,000-node flow). A Web Worker does it: started by the offscreen
 * document in Chrome (a service worker cannot start one), by this background page in Firefox. Best effort: it
 * starts after the download, is never waited for, and a failure only means the viewer lays the flow out itself.
 */
import { layOutInWorker } from './layout-in-worker';
import { askOffscreen, holdOffscreen } from './offscreen-document';

export function createLayoutAhead(): (packageId: string) => void {
  if (typeof Worker === 'function') return (packageId) => void layOutInWorker(packageId);
  return (packageId) => {
    const release = holdOffscreen();
    // Answered once the layout is kept (or failed): the document stays open until then.
    void askOffscreen({ type: 'offscreen:layout', packageId })
      .catch(() => undefined)
      .finally(release);
  };
}
