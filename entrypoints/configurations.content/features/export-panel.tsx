/**
 * The export feature: the "Porter: Export workflow" panel after the product's "Export workflow" section.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { ExportPanel, type ExportPanelApi } from '../../../components/ExportPanel';
import type { PageFeature } from '../../../lib/page/features';
import { findConfigurationsPage, findWorkflowId } from '../../../lib/page/selectors';
import { jobUpdates, sendToWorker } from '../worker-channel';
import { mountShadowPanel } from '../shadow-panel';

interface ExportAnchor {
  section: HTMLElement;
  workflowId: string;
  /** Set once mounted: when the page drops our element but keeps the section, the panel is mounted again. */
  host?: HTMLElement | null;
}

export const exportPanel: PageFeature<ExportAnchor, ContentScriptContext> = {
  id: 'export-panel',
  find(root) {
    const page = findConfigurationsPage(root);
    const workflowId = page && findWorkflowId(root, location.href);
    return page && workflowId ? { section: page.exportSection, workflowId } : null;
  },
  isSame: (mounted, found) =>
    mounted.section === found.section &&
    mounted.workflowId === found.workflowId &&
    (mounted.host?.isConnected ?? true),
  async mount(anchor, signal, ctx) {
    const { workflowId } = anchor;
    const api: ExportPanelApi = {
      getWorkflow: () => sendToWorker({ type: 'workflow:get', workflowId }),
      startExport: (versionId) => sendToWorker({ type: 'export:start', workflowId, versionId }),
      confirmExport: (jobId) => sendToWorker({ type: 'export:confirm', jobId }),
      cancelExport: (jobId) => sendToWorker({ type: 'export:cancel', jobId }),
      jobStatus: (jobId) => sendToWorker({ type: 'export:status', jobId }),
      currentExport: () => sendToWorker({ type: 'export:current', workflowId }),
      subscribe: (listener) =>
        jobUpdates((update) => {
          if (update.type === 'job:update') listener(update.job);
        }, signal),
      openViewer: (packageId) => void sendToWorker({ type: 'viewer:open', packageId }),
    };
    anchor.host = await mountShadowPanel(
      ctx,
      {
        name: 'porter-export-panel',
        anchor: anchor.section,
        append: 'after',
        view: <ExportPanel api={api} />,
      },
      signal,
    );
  },
};
