import { describe, expect, it } from 'vitest';
import {
  GRANTED_HOSTS_SCRIPT_ID,
  grantedHostsSync,
  type ContentScriptRegistration,
  type ScriptRegistry,
} from '../../../lib/worker/granted-hosts';

/** A registry that behaves like Chrome's: a second registration under the same id is an error. */
function fakeRegistry() {
  const scripts = new Map<string, ContentScriptRegistration>();
  const scripting: ScriptRegistry = {
    async getRegisteredContentScripts({ ids }) {
      await Promise.resolve();
      return ids.flatMap((id) => (scripts.has(id) ? [scripts.get(id)] : []));
    },
    async unregisterContentScripts({ ids }) {
      await Promise.resolve();
      for (const id of ids) {
        if (!scripts.delete(id)) throw new Error(`Nonexistent script ID '${id}'`);
      }
    },
    async registerContentScripts(list) {
      await Promise.resolve();
      for (const script of list) {
        if (scripts.has(script.id)) throw new Error(`Duplicate script ID '${script.id}'`);
        scripts.set(script.id, script);
      }
    },
  };
  return { scripting, scripts };
}

function setUp(initial: string[]) {
  let origins = initial;
  const { scripting, scripts } = fakeRegistry();
  const sync = grantedHostsSync({
    scripting,
    grantedOrigins: async () => origins,
    declaredMatches: ['https://*.kore.ai/*'],
    contentScript: 'content-scripts/configurations.js',
  });
  return {
    sync,
    scripts,
    grant: (next: string[]) => (origins = next),
  };
}

describe('content script on hosts granted at run time', () => {
  it('registers the panel on a granted on-premises host, not on the built-in ones', async () => {
    const { sync, scripts } = setUp(['https://*.kore.ai/*', 'https://afp.example.com/*']);
    await sync();
    expect([...scripts.values()]).toEqual([
      {
        id: GRANTED_HOSTS_SCRIPT_ID,
        matches: ['https://afp.example.com/*'],
        js: ['content-scripts/configurations.js'],
        runAt: 'document_idle',
        persistAcrossSessions: true,
      },
    ]);
  });

  it('follows a grant and a removal', async () => {
    const { sync, scripts, grant } = setUp(['https://*.kore.ai/*']);
    await sync();
    expect(scripts.size).toBe(0);
    grant(['https://*.kore.ai/*', 'https://afp.example.com/*', 'http://afp.intranet/*']);
    await sync();
    expect(scripts.get(GRANTED_HOSTS_SCRIPT_ID)?.matches).toEqual([
      'https://afp.example.com/*',
      'http://afp.intranet/*',
    ]);
    grant(['https://*.kore.ai/*', 'http://afp.intranet/*']);
    await sync();
    expect(scripts.get(GRANTED_HOSTS_SCRIPT_ID)?.matches).toEqual(['http://afp.intranet/*']);
    grant(['https://*.kore.ai/*']);
    await sync();
    expect(scripts.size).toBe(0);
  });

  it('survives a burst of permission events without registering twice', async () => {
    const { sync, scripts } = setUp(['https://afp.example.com/*']);
    await Promise.all([sync(), sync(), sync()]);
    expect(scripts.get(GRANTED_HOSTS_SCRIPT_ID)?.matches).toEqual(['https://afp.example.com/*']);
  });

  it('keeps working after one sync failed', async () => {
    const { sync, scripts, grant } = setUp(['https://afp.example.com/*']);
    grant(null as unknown as string[]);
    await expect(sync()).rejects.toThrow();
    grant(['https://afp.example.com/*']);
    await sync();
    expect(scripts.size).toBe(1);
  });
});
