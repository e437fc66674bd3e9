/**
 * Hosts the user granted at run time (an on-premises installation, say) get the content script registered for them,
 * since the manifest only names the product's own hosts.
 */
export const GRANTED_HOSTS_SCRIPT_ID = 'porter-granted-hosts';

export interface ContentScriptRegistration {
  id: string;
  matches: string[];
  js: string[];
  runAt: 'document_idle';
  persistAcrossSessions: boolean;
}

/** The part of `browser.scripting` this needs. */
export interface ScriptRegistry {
  getRegisteredContentScripts(filter: { ids: string[] }): Promise<unknown[]>;
  unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
  registerContentScripts(scripts: ContentScriptRegistration[]): Promise<void>;
}

export interface GrantedHostsDeps {
  scripting: ScriptRegistry;
  /** Every origin pattern the extension may access now, declared or granted. */
  grantedOrigins(): Promise<string[]>;
  /** The content script's matches in the manifest, which need no registration. */
  declaredMatches: string[];
  contentScript: string;
}

/**
 * Returns a function that brings the registration in line with the granted hosts. Calls are queued: permission
 * events arrive in bursts, and two overlapping syncs would register the same script id twice.
 */
export function grantedHostsSync(deps: GrantedHostsDeps): () => Promise<void> {
  let queue = Promise.resolve();
  const sync = async () => {
    const declared = new Set(deps.declaredMatches);
    const granted = (await deps.grantedOrigins()).filter((origin) => !declared.has(origin));
    const ids = [GRANTED_HOSTS_SCRIPT_ID];
    if ((await deps.scripting.getRegisteredContentScripts({ ids })).length > 0) {
      await deps.scripting.unregisterContentScripts({ ids });
    }
    if (granted.length === 0) return;
    await deps.scripting.registerContentScripts([
      {
        id: GRANTED_HOSTS_SCRIPT_ID,
        matches: granted,
        js: [deps.contentScript],
        runAt: 'document_idle',
        persistAcrossSessions: true,
      },
    ]);
  };
  return () => (queue = queue.then(sync, sync));
}
