import { PRODUCT_MATCHES } from '../../lib/hosts';
import { findConfigurationsPage, findWorkflowId } from '../../lib/page/selectors';
import { watchAnchor } from '../../lib/page/anchor-watcher';
import { answerProxyFetches } from './proxy-fetch';
import { mountExportPanel, type ExportAnchor } from './export-panel';

export default defineContentScript({
  // The sandbox build adds loopback (wxt.config.ts); hosts granted at run time register this script themselves.
  matches: PRODUCT_MATCHES,
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  main(ctx) {
    const lifetime = new AbortController();
    ctx.onInvalidated(() => lifetime.abort());
    answerProxyFetches(lifetime.signal);

    watchAnchor<ExportAnchor>(
      document.body,
      () => {
        const page = findConfigurationsPage(document);
        const workflowId = page && findWorkflowId(document, location.href);
        return page && workflowId ? { section: page.exportSection, workflowId } : null;
      },
      (anchor, signal) => void mountExportPanel(ctx, anchor, signal),
      lifetime.signal,
      {
        isSame: (mounted, found) =>
          mounted.section === found.section &&
          mounted.workflowId === found.workflowId &&
          (mounted.host?.isConnected ?? true),
      },
    );
  },
});
