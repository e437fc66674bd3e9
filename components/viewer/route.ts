/**
 * The viewer's addresses: `#/` (library and open a file), `#/package/<id>/<view>` for a cached package and
 * `#/opened/<view>` for a zip opened from disk, with `?node=`, `?file=`, `?line=` or `?with=` for the view.
 */
export const VIEWS = ['overview', 'flow', 'files', 'redactions', 'compare'] as const;
export type ViewName = (typeof VIEWS)[number];

export const VIEW_LABELS: Record<ViewName, string> = {
  overview: 'Overview',
  flow: 'Flow',
  files: 'Files',
  redactions: 'Redactions',
  compare: 'Compare',
};

export type Route =
  | { kind: 'home' }
  | { kind: 'package'; id: string; view: ViewName; params: URLSearchParams }
  | { kind: 'opened'; view: ViewName; params: URLSearchParams };

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    // A malformed id is kept as written: it then names no package.
    return part;
  }
}

const viewOf = (part: string | undefined): ViewName =>
  (VIEWS as readonly string[]).includes(part ?? '') ? (part as ViewName) : 'overview';

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?', 2);
  const params = new URLSearchParams(query);
  const pkg = /^\/package\/([^/]+)(?:\/([^/]*))?$/.exec(path);
  if (pkg) return { kind: 'package', id: decode(pkg[1]!), view: viewOf(pkg[2]), params };
  const opened = /^\/opened(?:\/([^/]*))?$/.exec(path);
  if (opened) return { kind: 'opened', view: viewOf(opened[1]), params };
  return { kind: 'home' };
}

/** The address of a view of a package (`id` undefined: the one opened from disk). */
export function viewHref(
  id: string | undefined,
  view: ViewName,
  params: Record<string, string | number> = {},
): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  const base = id === undefined ? '#/opened' : `#/package/${encodeURIComponent(id)}`;
  return `${base}/${view}${query ? `?${query}` : ''}`;
}
