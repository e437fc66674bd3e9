import { render } from 'preact';
import { PackageLibrary, type LibrarySource } from '../../components/library/PackageLibrary';
import {
  PorterDatabase,
  cacheLimit,
  compactLegacyPackages,
  deletePackage,
  listPackages,
  setCacheLimit,
} from '../../lib/store/db';
import { responseDataSchemas, responseSchema, type WorkerRequest } from '../../lib/messages';
import '../../components/page.css';

const db = new PorterDatabase();
const downloadAnswer = responseSchema(responseDataSchemas['package:download']);

const source: LibrarySource = {
  list: () => listPackages(db),
  remove: (id) => deletePackage(db, id),
  // The worker saves it: a download started here would be cut off when the popup closes.
  async download(packageId) {
    const request: WorkerRequest = { type: 'package:download', packageId };
    const answer = downloadAnswer.safeParse(await browser.runtime.sendMessage(request));
    if (!answer.success) throw new Error('AFP Porter did not answer. Try again.');
    if (!answer.data.ok) throw new Error(answer.data.error.message);
    return answer.data.data.savedAs;
  },
  keep: () => cacheLimit(db),
  setKeep: (count) => setCacheLimit(db, count),
};

const openViewer = (packageId?: string) => {
  const hash = packageId ? `#/package/${encodeURIComponent(packageId)}` : '';
  void browser.tabs.create({ url: `${browser.runtime.getURL('/viewer.html')}${hash}` });
  window.close();
};

render(
  <main class="page popup">
    <PackageLibrary
      source={source}
      actions={{ open: openViewer, options: () => void browser.runtime.openOptionsPage() }}
    />
  </main>,
  document.getElementById('app')!,
);
// Zips cached by an older version are compacted while the popup is open (each one on its own, safely).
void compactLegacyPackages(db).catch(() => undefined);
