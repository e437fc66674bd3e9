/**
 * Steps the import scenarios share, on the driver interface: import through the dialog, read the account through the
 * sandbox's API as a given user.
 */
import { expect } from '@playwright/test';
import type { Role, Tab, Target, TestFile } from './drivers/driver';
import { exactly, PASSWORD } from './steps';

export const DIALOG: Target = { role: 'dialog' };
export const IMPORT = inDialog('button', exactly('Import'));
export const ALERT = inDialog('alert');

export function inDialog(role: Role, name?: string | RegExp, more: Partial<Target> = {}): Target {
  return { role, name, ...more, within: DIALOG };
}

/** Opens the dialog from an entry point ("Porter: <entry>") and gives it `files`; resolves once the check answered. */
export async function chooseInDialog(tab: Tab, entry: string, files: TestFile[]): Promise<void> {
  const button: Target = {
    role: 'button',
    name: entry,
    within: { role: 'region', name: exactly(`Porter: ${entry}`) },
  };
  await expect.poll(() => tab.disabled(button), { timeout: 15_000 }).toBe(false);
  await tab.click(button);
  await tab.choose(inDialog('file', 'Package'), files);
  const answered = async () => (await tab.count(IMPORT)) + (await tab.count(ALERT)) > 0;
  await expect.poll(answered, { timeout: 30_000, message: 'the dialog checked the files' }).toBe(true);
}

/** The sandbox's session API as one user, from Node: what the server really holds, whatever the extension says. */
export async function apiAs(sandboxUrl: string, email: string) {
  const login = await fetch(`${sandboxUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(login.ok).toBe(true);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const session = (await (await fetch(`${sandboxUrl}/api/session`, { headers: { cookie } })).json()) as {
    csrfToken: string;
  };
  const get = async <T>(route: string): Promise<T> => {
    const response = await fetch(`${sandboxUrl}${route}`, { headers: { cookie } });
    expect(response.ok, `GET ${route}`).toBe(true);
    return (await response.json()) as T;
  };
  return {
    cookie,
    csrfToken: session.csrfToken,
    get,
    workflows: async () =>
      (await get<{ workflows: { id: string; name: string }[] }>('/api/workflows')).workflows,
    post: (route: string, body: unknown) =>
      fetch(`${sandboxUrl}${route}`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify(body),
      }),
  };
}
