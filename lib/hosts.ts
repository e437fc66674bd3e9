/**
 * Where the extension runs. The store build asks for the product's own hosts only; any other host (an on-premises
 * installation) is granted by the user at run time from the options page. The sandbox build adds loopback.
 */
export const PRODUCT_MATCHES = ['https://*.kore.ai/*'];
export const SANDBOX_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];
/** What the options page may ask for at run time: a single origin the user names, never all of them at once. */
export const OPTIONAL_MATCHES = ['https://*/*', 'http://*/*'];

/**
 * What a user types (`afp.example.com:8443/anything`, `https://afp.example.com`) → `https://afp.example.com/*`;
 * null for what is not a web address.
 */
export function originPattern(input: string): string | null {
  return matchPattern(input.includes('://') ? input : `https://${input}`);
}

/**
 * `https://afp.example.com:8443` → `https://afp.example.com/*`; null for what is not a web origin (`null`,
 * `file://`, an extension's own). Match patterns carry no port: Firefox finds no permission for
 * `http://127.0.0.1:8080/*` even with `http://127.0.0.1/*` granted, and Chrome ignores the port anyway. IPv6
 * literals keep their brackets (`http://[::1]/*`); a wildcard host (`https://*.kore.ai`) stays the pattern it is.
 */
export function matchPattern(origin: string): string | null {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (!url.hostname) return null;
  return `${url.protocol}//${url.hostname}/*`;
}

/** Whether the extension holds a permission for a page's origin, asked the way both browsers answer right. */
export async function isOriginGranted(
  origin: string,
  contains: (permissions: { origins: string[] }) => Promise<boolean>,
): Promise<boolean> {
  const pattern = matchPattern(origin);
  return pattern !== null && contains({ origins: [pattern] });
}

/**
 * The platforms a cached package may be imported into: the one it came from first, then each granted host
 * (`https://afp.example.com/*` → `https://afp.example.com`). A wildcard host names no one platform; a grant that
 * covers the package's own origin (the same host without its port) is that origin, not a second entry.
 */
export function importTargets(
  packageOrigin: string | undefined,
  grantedPatterns: readonly string[],
): string[] {
  const targets = new Map<string, string>();
  for (const origin of [packageOrigin, ...grantedPatterns.map(patternOrigin)]) {
    const pattern = origin ? matchPattern(origin) : null;
    if (origin && pattern && !targets.has(pattern)) targets.set(pattern, origin);
  }
  return [...targets.values()];
}

function patternOrigin(pattern: string): string | null {
  const host = /^(https?:\/\/[^/*]+)\/\*$/.exec(pattern);
  return host ? host[1]! : null;
}
