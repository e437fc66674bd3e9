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

export const PLATFORM_HELP = `      --host URL       the platform, e.g. https://process.kore.ai (or env AFP_HOST); https:// is
                       assumed when no scheme is given
      --api-key KEY    a management API key (or env AFP_API_KEY, better: argv is visible to other
                       processes and kept in shell history)
      --timeout SEC    how long to wait for the platform's job (default 300)`;

export function normalizeHost(host: string): string {
  const trimmed = host.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
}

export async function platformClient(
  values: OptionValues,
  io: CliIo,
  command: string,
): Promise<PublicClient> {
  const host = stringOption(values, 'host') ?? io.env.AFP_HOST;
  if (!host) throw new UsageError('missing --host URL (or set AFP_HOST)', command);
  const apiKey = stringOption(values, 'api-key') ?? io.env.AFP_API_KEY;
  if (!apiKey?.trim()) throw new UsageError('missing --api-key KEY (or set AFP_API_KEY)', command);
  const timeout = stringOption(values, 'timeout');
  let pollTimeoutMs: number | undefined;
  if (timeout !== undefined) {
    const seconds = Number(timeout);
    if (!Number.isFinite(seconds) || seconds <= 0)
      throw new UsageError('--timeout takes a number of seconds', command);
    pollTimeoutMs = seconds * 1000;
  }
  const { createPublicClient } = await import('../platform/public-client.ts');
  return createPublicClient({
    ...io.platform,
    baseUrl: normalizeHost(host),
    apiKey: apiKey.trim(),
    ...(io.signal ? { signal: io.signal } : {}),
    ...(pollTimeoutMs !== undefined ? { pollTimeoutMs } : {}),
  });
}
