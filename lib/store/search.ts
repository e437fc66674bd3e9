/** Finding cached packages as people look for them: by workflow, version or host, in any letter case. */
import type { PackageMeta } from './db';

/** `https://process.kore.ai:8443` → `process.kore.ai:8443`; anything unparsable is shown as it is. */
export function hostOf(origin: string): string {
  try {
    return new URL(origin).host || origin;
  } catch {
    return origin;
  }
}

const fold = (text: string) => text.normalize('NFKC').toLocaleLowerCase();

/** Every word of `query` is found in the workflow's name, the version's name or the host. */
export function matchesSearch(meta: PackageMeta, query: string): boolean {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = fold(`${meta.workflowName}\n${meta.versionName}\n${hostOf(meta.origin)}`);
  return words.every((word) => haystack.includes(word));
}

export function searchPackages(packages: readonly PackageMeta[], query: string): PackageMeta[] {
  return packages.filter((meta) => matchesSearch(meta, query));
}
