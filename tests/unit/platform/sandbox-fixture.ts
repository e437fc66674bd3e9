/** The real sandbox, started in-process on a free port, plus small helpers shared by platform and CLI tests. */
import { unzipSync } from 'fflate';
import { createCookieFetch } from '../../../lib/platform/cookie-fetch.ts';
import { createPublicClient } from '../../../lib/platform/public-client.ts';
import { createSessionClient } from '../../../lib/platform/session-client.ts';
import type { PlatformClientOptions } from '../../../lib/platform/types.ts';
import { startSandbox, type SandboxHandle } from '../../sandbox/server.ts';
import { MANAGEMENT_API_KEY, SANDBOX_PASSWORD, USERS, type SeedUserKey } from '../../sandbox/seed.ts';

export { MANAGEMENT_API_KEY, USERS };
export { WORKFLOWS, SEEDED_VERSIONS, BANKING_MUST_NOT_LEAK, BANKING_SECRETS } from '../../sandbox/seed.ts';

export async function startTestSandbox(): Promise<SandboxHandle> {
  return startSandbox({ port: 0, jobDelayMs: 15 });
}

export const FAST: Partial<PlatformClientOptions> = { pollIntervalMs: 10, timeoutMs: 10_000 };

export async function setFaults(url: string, rules: object[]): Promise<void> {
  const response = await fetch(`${url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  });
  if (!response.ok) throw new Error(`faults: HTTP ${response.status} ${await response.text()}`);
}

export async function clearFaults(url: string): Promise<void> {
  await fetch(`${url}/__sandbox/faults`, { method: 'DELETE' });
}

export async function sessionFor(
  url: string,
  user: SeedUserKey,
  options: Partial<PlatformClientOptions> = {},
) {
  const client = createSessionClient({ baseUrl: url, fetch: createCookieFetch(), ...FAST, ...options });
  await client.login(USERS[user].email, SANDBOX_PASSWORD);
  return client;
}

export function publicFor(url: string, options: Partial<PlatformClientOptions> & { apiKey?: string } = {}) {
  return createPublicClient({ baseUrl: url, apiKey: MANAGEMENT_API_KEY, ...FAST, ...options });
}

/** The three JSON files of a zip, parsed, for building import cases. */
export function unzipJson(zip: Uint8Array): Record<string, unknown> {
  const entries = unzipSync(zip);
  return Object.fromEntries(
    Object.entries(entries).map(([name, bytes]) => [
      name,
      JSON.parse(new TextDecoder().decode(bytes)) as unknown,
    ]),
  );
}

export const encode = (value: unknown): Uint8Array =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));
