/**
 * The viewer's "Import into AI for Process…" for a cached package: the platform is chosen among the hosts the
 * extension may reach (the one the package came from first), then the import dialog runs on the cached bytes.
 */
import { openImportFromCache } from '../../components/import/open-from-cache';
import type { PackageActions } from '../../components/viewer/Viewer';
import { importTargets, isOriginGranted } from '../../lib/hosts';
import { workerChannel } from '../../lib/protocol/channel';

const send = workerChannel((message) => browser.runtime.sendMessage(message));

async function reachableHosts(packageOrigin: string | undefined): Promise<string[]> {
  const granted = (await browser.permissions.getAll()).origins ?? [];
  const candidates = importTargets(packageOrigin, granted);
  // Asked as both browsers answer right: Firefox holds no permission for a pattern with a port.
  const reachable = await Promise.all(
    candidates.map((origin) =>
      isOriginGranted(origin, (permissions) => browser.permissions.contains(permissions)).catch(() => false),
    ),
  );
  return candidates.filter((_, i) => reachable[i]);
}

export const importAction: PackageActions = (pkg) =>
  pkg.id && (
    <button
      type="button"
      onClick={() =>
        void reachableHosts(pkg.meta?.origin).then((hosts) =>
          openImportFromCache({ send, packageId: pkg.id!, hosts }),
        )
      }
    >
      Import into AI for Process…
    </button>
  );
