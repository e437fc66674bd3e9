/**
 * Hosts the user granted at run time (an on-premises installation, say) get the content script registered for them,
 * since the manifest only names the product's own hosts.
 */
const SCRIPT_ID = 'porter-granted-hosts';
const CONTENT_SCRIPT = 'content-scripts/configurations.js';

export async function registerGrantedHosts(): Promise<void> {
  if (!browser.scripting?.registerContentScripts) return;
  const { origins = [] } = await browser.permissions.getAll();
  const declared = new Set(
    browser.runtime.getManifest().content_scripts?.flatMap((script) => script.matches ?? []),
  );
  const granted = origins.filter((origin) => !declared.has(origin));
  const registered = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  if (registered.length > 0) await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  if (granted.length === 0) return;
  await browser.scripting.registerContentScripts([
    {
      id: SCRIPT_ID,
      matches: granted,
      js: [CONTENT_SCRIPT],
      runAt: 'document_idle',
      persistAcrossSessions: true,
    },
  ]);
}
