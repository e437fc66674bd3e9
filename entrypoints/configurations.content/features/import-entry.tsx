/**
 * The import entry points, one feature per page: "Import package" beside the Workflows dashboard's own "Import a
 * workflow" (a new workflow), and "Import package as a new version" in a workflow's "Import a workflow" section.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { ImportEntry } from '../../../components/import/ImportEntry';
import { importApi } from '../../../components/import/api';
import type { ImportTargetMessage } from '../../../lib/protocol';
import type { PageFeature } from '../../../lib/page/features';
import { findConfigurationsPage, findWorkflowId, findWorkflowsDashboard } from '../../../lib/page/selectors';
import { jobUpdates, sendToWorker } from '../worker-channel';
import { mountShadowPanel } from '../shadow-panel';

interface EntryAnchor {
  element: HTMLElement;
  target: ImportTargetMessage;
  host?: HTMLElement | null;
}

function mountEntry(
  ctx: ContentScriptContext,
  anchor: EntryAnchor,
  signal: AbortSignal,
  options: { name: string; label: string; append: 'after' | 'last'; compact: boolean },
) {
  const api = importApi(sendToWorker, anchor.target, {
    subscribe: (listener) =>
      jobUpdates((update) => {
        if (update.type === 'import:update') listener(update.job);
      }, signal),
  });
  return mountShadowPanel(
    ctx,
    {
      name: options.name,
      anchor: anchor.element,
      append: options.append,
      view: <ImportEntry api={api} label={options.label} compact={options.compact} />,
    },
    signal,
  );
}

const sameEntry = (mounted: EntryAnchor, found: EntryAnchor) =>
  mounted.element === found.element &&
  JSON.stringify(mounted.target) === JSON.stringify(found.target) &&
  (mounted.host?.isConnected ?? true);

export const dashboardImport: PageFeature<EntryAnchor, ContentScriptContext> = {
  id: 'dashboard-import',
  find(root) {
    const dashboard = findWorkflowsDashboard(root);
    return dashboard ? { element: dashboard.importButton, target: { kind: 'new' } } : null;
  },
  isSame: sameEntry,
  async mount(anchor, signal, ctx) {
    anchor.host = await mountEntry(ctx, anchor, signal, {
      name: 'porter-import-package',
      label: 'Import package',
      append: 'after',
      compact: true,
    });
  },
};

export const versionImport: PageFeature<EntryAnchor, ContentScriptContext> = {
  id: 'version-import',
  find(root) {
    const page = findConfigurationsPage(root);
    const workflowId = page?.importSection && findWorkflowId(root, location.href);
    return page?.importSection && workflowId
      ? { element: page.importSection, target: { kind: 'version', workflowId } }
      : null;
  },
  isSame: sameEntry,
  async mount(anchor, signal, ctx) {
    anchor.host = await mountEntry(ctx, anchor, signal, {
      name: 'porter-import-version',
      label: 'Import package as a new version',
      append: 'last',
      compact: false,
    });
  },
};
