import { render } from 'preact';
import { PackageViewer } from '../../components/PackageViewer';
import { PorterDatabase, packageBytes, recentPackages } from '../../lib/store/db';
import '../../components/page.css';

const db = new PorterDatabase();

render(
  <PackageViewer
    source={{
      list: () => recentPackages(db, 500),
      meta: (id) => db.packages.get(id),
      bytes: (id) => packageBytes(db, id),
    }}
  />,
  document.getElementById('app')!,
);
