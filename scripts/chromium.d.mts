export function findChromium(): string | null;
export function ensureChromium(options?: { install?: boolean }): string | null;
export const CHROMIUM_HELP: string;
