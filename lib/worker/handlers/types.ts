/**
 * What a feature's handlers look like: each message type gets one handler, and says who may send it. The router
 * (../router.ts) checks the sender and looks the handler up; it knows no feature.
 */
import type { MessageType, RequestOf, ResponseOf } from '../../protocol';
import type { ArchiveDownloadPort } from '../../jobs/bulk-export-job';
import type { ExportDeps } from '../../jobs/export-job';
import type { ImportDeps } from '../../jobs/import-job';
import type { BulkSnapshot } from '../../protocol';

export interface Caller {
  /** The sender's origin: a platform page's, or the extension's own for its pages. */
  origin: string;
  tabId: number | null;
}

export interface HandlerDeps extends ExportDeps, ImportDeps {
  /** One port saves what every job downloads: a package, or a bulk export's archive. */
  downloads: ArchiveDownloadPort;
  /** Tells a tab that a bulk export moved (without it, the bulk dialog learns by asking). */
  notifyBulk?(job: BulkSnapshot, tabId: number | null): void;
  extensionOrigin: string;
  /** Whether the extension holds a host permission for `origin`. */
  isOriginAllowed(origin: string): Promise<boolean>;
  openViewer(packageId?: string): Promise<void>;
}

export interface Handler<K extends MessageType> {
  /** `platform`: only a content script on a platform page may ask (the request acts on its origin). */
  from: 'platform' | 'any';
  handle(request: RequestOf<K>, caller: Caller, deps: HandlerDeps): Promise<ResponseOf<K>>;
}

export type Handlers<K extends MessageType> = { [T in K]: Handler<T> };
