/**
 * Saves a cached package, or a bulk export's archive, to disk with the downloads API.
 *
 * The bytes go from IndexedDB to a blob URL without crossing a message: in Chrome the offscreen document makes the
 * URL (service workers cannot), in Firefox the background page makes it itself.
 */
import type { ArchiveDownloadPort } from '../../lib/jobs/bulk-export-job';
import { JobError } from '../../lib/jobs/errors';
import type { PorterDatabase } from '../../lib/store/db';
import { downloadBlob, type DownloadSource } from '../../lib/store/download-blob';
import { blobUrlAnswerSchema } from '../../lib/worker/offscreen-protocol';
import {
  askOffscreen,
  closeOffscreenWhenIdle,
  ensureOffscreenDocument,
  holdOffscreen,
} from './offscreen-document';

function createBlobUrls(db: PorterDatabase) {
  if (typeof URL.createObjectURL === 'function') {
    return {
      // Nothing to warm up: this page makes the URL itself.
      prepare: () => undefined,
      async create(source: DownloadSource) {
        const blob = await downloadBlob(db, source);
        if (!blob) throw missingError(source);
        return URL.createObjectURL(blob);
      },
      async revoke(url: string) {
        URL.revokeObjectURL(url);
      },
    };
  }
  // A blob URL holds the document from its making to its revoking.
  const held = new Map<string, () => void>();
  // One left open by an earlier worker instance is closed too.
  closeOffscreenWhenIdle();
  return {
    prepare() {
      void ensureOffscreenDocument().catch(() => undefined);
      closeOffscreenWhenIdle();
    },
    async create(source: DownloadSource) {
      const release = holdOffscreen();
      try {
        const answer = blobUrlAnswerSchema.safeParse(
          await askOffscreen({ type: 'offscreen:blob-url', source }),
        );
        if (answer.success && !answer.data.ok && answer.data.missing) throw missingError(source);
        if (!answer.success || !answer.data.ok) {
          throw new JobError(
            'DOWNLOAD_FAILED',
            `The ${SAVED[source.kind]} could not be prepared for download. Retry.`,
            true,
          );
        }
        held.set(answer.data.url, release);
        return answer.data.url;
      } catch (error) {
        release();
        throw error;
      }
    },
    async revoke(url: string) {
      await askOffscreen({ type: 'offscreen:revoke', url }).catch(() => undefined);
      held.get(url)?.();
      held.delete(url);
    },
  };
}

/** What a download saves, in the words of its messages. */
const SAVED: Record<DownloadSource['kind'], string> = {
  package: 'cached package',
  archive: "bulk export's archive",
};

/** What the user can do after the browser failed to save: a package stays cached, an archive does not. */
const AFTER_SAVE_FAILED: Record<DownloadSource['kind'], string> = {
  package: 'The package is in the cache; retry to save it again.',
  archive: "Export again: each workflow's package is in the library.",
};

const missingError = (source: DownloadSource) =>
  new JobError('DOWNLOAD_FAILED', `The ${SAVED[source.kind]} is missing. Export again.`);

/** Resolves with the file's name on disk once the download is complete. */
function waitForDownload(downloadId: number, source: DownloadSource): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const finish = (state: string | undefined, error?: string) => {
      if (state === 'complete') {
        browser.downloads.onChanged.removeListener(onChanged);
        resolve(
          browser.downloads
            .search({ id: downloadId })
            .then(([item]) => item?.filename.split(/[\\/]/).pop() || undefined)
            .catch(() => undefined),
        );
      } else if (state === 'interrupted') {
        browser.downloads.onChanged.removeListener(onChanged);
        reject(
          new JobError(
            'DOWNLOAD_FAILED',
            `The browser could not save the file (${error ?? 'interrupted'}). ${AFTER_SAVE_FAILED[source.kind]}`,
            true,
          ),
        );
      }
    };
    const onChanged = (delta: { id: number; state?: { current?: string }; error?: { current?: string } }) => {
      if (delta.id === downloadId) finish(delta.state?.current, delta.error?.current);
    };
    browser.downloads.onChanged.addListener(onChanged);
    void browser.downloads.search({ id: downloadId }).then(([item]) => finish(item?.state, item?.error));
  });
}

export function createDownloadPort(db: PorterDatabase): ArchiveDownloadPort {
  const blobUrls = createBlobUrls(db);
  const save = async (source: DownloadSource, fileName: string) => {
    const url = await blobUrls.create(source);
    try {
      const id = await browser.downloads.download({
        url,
        filename: fileName,
        conflictAction: 'uniquify',
        saveAs: false,
      });
      const savedAs = await waitForDownload(id, source);
      return { downloadId: id, savedAs };
    } finally {
      await blobUrls.revoke(url);
    }
  };
  return {
    prepare: () => blobUrls.prepare(),
    download: (packageId, fileName) => save({ kind: 'package', id: packageId }, fileName),
    downloadArchive: (jobId, fileName) => save({ kind: 'archive', id: jobId }, fileName),
  };
}
