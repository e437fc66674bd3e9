/** The content security policy of the extension's own pages (and Firefox's background page), in both browsers. */
export const EXTENSION_PAGES_CSP =
  "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
