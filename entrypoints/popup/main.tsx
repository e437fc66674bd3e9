import { render } from 'preact';
import { PackageLibrary } from '../../components/library/PackageLibrary';
import { librarySource } from '../../components/library/source';
import { PorterDatabase, compactLegacyPackages } from '../../lib/store/db';
import '../../components/page.css';

const db = new PorterDatabase();
const source = librarySource(db, (request) => browser.runtime.sendMessage(request));

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
