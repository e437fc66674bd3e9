/** Every page feature the content script runs; a new one is a module in this folder and one line here. */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { PageFeature } from '../../../lib/page/features';
import { exportPanel } from './export-panel';
import { dashboardImport, versionImport } from './import-entry';

import { bulkExport } from './bulk-export';

export const FEATURES = [
  exportPanel,
  dashboardImport,
  versionImport,
  bulkExport,
] as unknown as readonly PageFeature<object, ContentScriptContext>[];
