export function findFirefox(): string | null;
export function ensureFirefox(options?: { install?: boolean }): string | null;
export const FIREFOX_HELP: string;
