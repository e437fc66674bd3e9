/**
 * The export feature: mounts the panel after the product's "Export workflow" section and removes it, with every
 * listener, when the signal aborts (the page went away or the SPA replaced the section).
 */
import { render } from 'preact';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { ExportPanel, type ExportPanelApi } from '../../components/ExportPanel';
import { jobUpdates, sendToWorker } from './worker-channel';
import { hostLook } from '../../lib/page/theme';
import css from '../../components/panel.css?inline';

export interface ExportAnchor {
  section: HTMLElement;
  workflowId: string;
  /** Set once mounted: when the page drops our element but keeps the section, the panel is mounted again. */
  host?: HTMLElement;
}

export async function mountExportPanel(ctx: ContentScriptContext, anchor: ExportAnchor, signal: AbortSignal) {
  const ui = await createShadowRootUi(ctx, {
    name: 'porter-export-panel',
    position: 'inline',
    anchor: anchor.section,
    append: 'after',
    css,
    isolateEvents: true,
    onMount(container) {
      const api: ExportPanelApi = {
        getWorkflow: () => sendToWorker({ type: 'workflow:get', workflowId: anchor.workflowId }),
        startExport: (versionId) =>
          sendToWorker({ type: 'export:start', workflowId: anchor.workflowId, versionId }),
        confirmExport: (jobId) => sendToWorker({ type: 'export:confirm', jobId }),
        cancelExport: (jobId) => sendToWorker({ type: 'export:cancel', jobId }),
        jobStatus: (jobId) => sendToWorker({ type: 'export:status', jobId }),
        currentExport: () => sendToWorker({ type: 'export:current', workflowId: anchor.workflowId }),
        subscribe: (listener) => jobUpdates(listener, signal),
        openViewer: (packageId) => void sendToWorker({ type: 'viewer:open', packageId }),
      };
      render(<ExportPanel api={api} />, container);
      return container;
    },
    onRemove(container) {
      if (container) render(null, container);
    },
  });
  if (signal.aborted) return;
  ui.mount();
  anchor.host = ui.shadowHost;
  matchHostLook(ui.shadowHost, anchor.section, signal);
  signal.addEventListener('abort', () => ui.remove(), { once: true });
}

/** Light or dark and the font as the page around the panel has them, again whenever the system setting flips. */
function matchHostLook(host: HTMLElement, section: HTMLElement, signal: AbortSignal) {
  const systemDark = matchMedia('(prefers-color-scheme: dark)');
  const apply = () => {
    const look = hostLook(section, systemDark.matches);
    host.dataset.theme = look.theme;
    if (look.fontFamily) host.style.setProperty('--porter-host-font', look.fontFamily);
  };
  apply();
  systemDark.addEventListener('change', apply, { signal });
}
