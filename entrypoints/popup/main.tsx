import { render } from 'preact';
import { RecentExports } from '../../components/RecentExports';
import { PorterDatabase, recentPackages } from '../../lib/store/db';
import '../../components/page.css';

const db = new PorterDatabase();
const openViewer = (packageId?: string) => {
  const hash = packageId ? `#/package/${encodeURIComponent(packageId)}` : '';
  void browser.tabs.create({ url: `${browser.runtime.getURL('/viewer.html')}${hash}` });
  window.close();
};

render(
  <RecentExports
    load={() => recentPackages(db, 10)}
    onOpen={openViewer}
    onOptions={() => void browser.runtime.openOptionsPage()}
  />,
  document.getElementById('app')!,
);
