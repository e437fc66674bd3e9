/**
 * What a download saves, as a Blob for a blob URL: a cached package (its zip re-created from the compact form), or
 * a bulk export's archive (its pieces' Blobs, by reference). Read where the URL is made: Chrome's offscreen
 * document, Firefox's background page.
 */
import { archiveBlob } from './archive-chunks';
import { packageBytes, type PorterDatabase } from './db';

export type DownloadSource = { kind: 'package'; id: string } | { kind: 'archive'; id: string };

export async function downloadBlob(db: PorterDatabase, source: DownloadSource): Promise<Blob | undefined> {
  if (source.kind === 'archive') return archiveBlob(db, source.id);
  const bytes = await packageBytes(db, source.id);
  return bytes && new Blob([bytes as BlobPart], { type: 'application/zip' });
}
