/**
 * The bulk export feature: "Porter: Export several workflows" below the Workflows dashboard's heading.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { BulkExportPanel, type BulkExportApi } from '../../../components/bulk/BulkExportPanel';
import type { PageFeature } from '../../../lib/page/features';
import { findWorkflowsDashboard } from '../../../lib/page/selectors';
import { jobUpdates, sendToWorker } from '../worker-channel';
import { mountShadowPanel } from '../shadow-panel';

interface DashboardAnchor {
  /** The block holding the page's heading (and its buttons): ours goes after it. */
  head: HTMLElement;
  host?: HTMLElement | null;
}

export const bulkExport: PageFeature<DashboardAnchor, ContentScriptContext> = {
  id: 'bulk-export',
  find(root) {
    const dashboard = findWorkflowsDashboard(root);
    const head = dashboard?.heading.parentElement;
    return head ? { head } : null;
  },
  isSame: (mounted, found) => mounted.head === found.head && (mounted.host?.isConnected ?? true),
  async mount(anchor, signal, ctx) {
    const api: BulkExportApi = {
      list: () => sendToWorker({ type: 'bulk:list' }),
      start: (workflowIds) => sendToWorker({ type: 'bulk:start', workflowIds }),
      cancel: (jobId) => sendToWorker({ type: 'bulk:cancel', jobId }),
      status: (jobId) => sendToWorker({ type: 'bulk:status', jobId }),
      current: () => sendToWorker({ type: 'bulk:current' }),
      subscribe: (listener) =>
        jobUpdates((update) => {
          if (update.type === 'bulk:update') listener(update.job);
        }, signal),
    };
    anchor.host = await mountShadowPanel(
      ctx,
      {
        name: 'porter-bulk-export',
        anchor: anchor.head,
        append: 'after',
        view: <BulkExportPanel api={api} />,
      },
      signal,
    );
  },
};
