/** `--host` and `--api-key` (or AFP_HOST / AFP_API_KEY), turned into a public-API client. */
import type { PublicClient } from '../platform/public-client.ts';
import { type OptionSpec, type OptionValues, stringOption } from './command.ts';
import { UsageError } from './errors.ts';
import type { CliIo } from './io.ts';

export const PLATFORM_OPTIONS: OptionSpec = {
  host: { type: 'string' },
  'api-key': { type: 'string' },
  timeout: { type: 'string' },
};

export const PLATFORM_HELP = `      --host URL       the platform's origin, e.g. https://process.kore.ai (or env AFP_HOST); https://
                       is assumed when no scheme is given; no path
      --api-key KEY    a management API key (or env AFP_API_KEY, better: argv is visible to other
                       processes and kept in shell history)
      --timeout SEC    how long to wait for the platform's job, in seconds (default 300)`;

export function normalizeHost(host: string): string {
  const trimmed = host.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

/**
 * The platform's origin from `--host` (or AFP_HOST). Every API path is absolute (`/api/public/…`), so a path
 * after the host would be wrong, not a prefix: a URL copied from the browser (`…/workflows/a-1`) is refused
 * with what to give instead.
 */
export function hostOrigin(host: string, command: string, source = '--host'): string {
  let url: URL;
  try {
    url = new URL(normalizeHost(host));
  } catch {
    throw new UsageError(
      `${source} "${host}" is not a URL; give the platform's origin, e.g. https://process.kore.ai`,
      command,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UsageError(`${source} "${host}" is not an http(s) address`, command);
  // Credentials and a query (a token?) are not repeated: the line may end up in a CI log.
  if (url.username || url.password)
    throw new UsageError(
      `${source} must be the platform's origin, e.g. ${url.origin}, without a user name or password in it; the API key goes in AFP_API_KEY`,
      command,
    );
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash)
    throw new UsageError(
      `${source} must be the platform's origin, e.g. ${url.origin}, without a path or query (not "${url.origin}${url.pathname}${url.search || url.hash ? '?…' : ''}")`,
      command,
    );
  return url.origin;
}

export interface PlatformSettings {
  /** The origin, e.g. https://process.kore.ai. */
  origin: string;
  apiKey: string;
  pollTimeoutMs?: number;
}

/** `--host`, `--api-key`, `--timeout` (and the environment), checked before anything touches the network. */
export function platformSettings(values: OptionValues, io: CliIo, command: string): PlatformSettings {
  const hostOption = stringOption(values, 'host');
  const host = hostOption ?? io.env.AFP_HOST;
  if (!host?.trim()) throw new UsageError('missing --host URL (or set AFP_HOST)', command);
  const origin = hostOrigin(host, command, hostOption !== undefined ? '--host' : 'AFP_HOST');
  const apiKey = stringOption(values, 'api-key') ?? io.env.AFP_API_KEY;
  if (!apiKey?.trim()) throw new UsageError('missing --api-key KEY (or set AFP_API_KEY)', command);
  const timeout = stringOption(values, 'timeout');
  let pollTimeoutMs: number | undefined;
  if (timeout !== undefined) {
    const seconds = timeout.trim() === '' ? Number.NaN : Number(timeout);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new UsageError(`--timeout must be a positive number of seconds (not "${timeout}")`, command);
    pollTimeoutMs = seconds * 1000;
  }
  return { origin, apiKey: apiKey.trim(), ...(pollTimeoutMs !== undefined ? { pollTimeoutMs } : {}) };
}

export async function clientFor(settings: PlatformSettings, io: CliIo): Promise<PublicClient> {
  const { createPublicClient } = await import('../platform/public-client.ts');
  return createPublicClient({
    ...io.platform,
    baseUrl: settings.origin,
    apiKey: settings.apiKey,
    ...(io.signal ? { signal: io.signal } : {}),
    ...(settings.pollTimeoutMs !== undefined ? { pollTimeoutMs: settings.pollTimeoutMs } : {}),
  });
}

export async function platformClient(
  values: OptionValues,
  io: CliIo,
  command: string,
): Promise<PublicClient> {
  return clientFor(platformSettings(values, io, command), io);
}

/**
 * Does the platform accept this API key at all? Asks for the status of a job that does not exist
 * (`GET /api/public/dock-status/…`, no side effect): 401/403 mean the key was refused, anything else that it
 * was accepted. Resolves to the refusing HTTP status, or undefined (accepted, or no answer).
 */
export async function refusedKeyStatus(settings: PlatformSettings, io: CliIo): Promise<number | undefined> {
  const fetchImpl = io.platform?.fetch ?? globalThis.fetch;
  const signals = [AbortSignal.timeout(io.platform?.timeoutMs ?? 30_000)];
  if (io.signal) signals.push(io.signal);
  try {
    const response = await fetchImpl(`${settings.origin}/api/public/dock-status/porter-api-key-check`, {
      method: 'GET',
      headers: { 'x-api-key': settings.apiKey, accept: 'application/json' },
      credentials: 'omit',
      redirect: 'manual',
      signal: AbortSignal.any(signals),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.status === 401 || response.status === 403 ? response.status : undefined;
  } catch {
    return undefined;
  }
}
