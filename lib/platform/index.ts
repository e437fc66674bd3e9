export * from './types.ts';
export { PlatformError, isPlatformError, fromResponse, errorFromStatus, parseErrorBody } from './errors.ts';
export type { PlatformErrorCode, PlatformErrorOptions, PlatformErrorBody } from './errors.ts';
export { createSessionClient } from './session-client.ts';
export type { SessionClient, SessionClientOptions } from './session-client.ts';
export { createPublicClient } from './public-client.ts';
export type { PublicClient, PublicClientOptions } from './public-client.ts';
export { createCookieFetch } from './cookie-fetch.ts';
export type { CookieFetch } from './cookie-fetch.ts';
