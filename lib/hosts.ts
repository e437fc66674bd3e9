/**
 * Where the extension runs. The store build asks for the product's own hosts only; any other host (an on-premises
 * installation) is granted by the user at run time from the options page. The sandbox build adds loopback.
 */
export const PRODUCT_MATCHES = ['https://*.kore.ai/*'];
export const SANDBOX_MATCHES = ['http://127.0.0.1/*', 'http://localhost/*'];
/** What the options page may ask for at run time: a single origin the user names, never all of them at once. */
export const OPTIONAL_MATCHES = ['https://*/*', 'http://*/*'];

/** `https://afp.example.com:8443/anything` → `https://afp.example.com:8443/*`; null for what is not a web origin. */
export function originPattern(input: string): string | null {
  let url: URL;
  try {
    url = new URL(input.includes('://') ? input : `https://${input}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (!url.hostname) return null;
  return `${url.protocol}//${url.hostname}/*`;
}
