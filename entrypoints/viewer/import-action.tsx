/**
 * The viewer's "Import into AI for Process…" for a cached package: the platform is chosen among the hosts the
 * extension may reach (the one the package came from first), then the import dialog runs on the cached bytes.
 */
import { openImportFromCache } from '../../components/import/open-from-cache';
import type { PackageActions } from '../../components/viewer/Viewer';
import { workerChannel } from '../../lib/protocol/channel';

const send = workerChannel((message) => browser.runtime.sendMessage(message));

/** `https://afp.example.com/*` → `https://afp.example.com`; a pattern with a wildcard host names no one platform. */
function originOfPattern(pattern: string): string | null {
  try {
    const url = new URL(pattern.replace(/\*$/, ''));
    if (url.hostname.includes('*') || !/^https?:$/.test(url.protocol)) return null;
    return url.origin;
  } catch {
    return null;
  }
}

async function reachableHosts(packageOrigin: string | undefined): Promise<string[]> {
  const granted = ((await browser.permissions.getAll()).origins ?? []).map(originOfPattern);
  const candidates = [
    ...new Set([packageOrigin, ...granted].filter((o): o is string => !!o && o !== 'file')),
  ];
  const reachable = await Promise.all(
    candidates.map((origin) => browser.permissions.contains({ origins: [`${origin}/*`] }).catch(() => false)),
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
