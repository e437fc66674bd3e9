import { render } from 'preact';
import { HostsSettings, type HostPermissions } from '../../components/HostsSettings';
import '../../components/page.css';

const permissions: HostPermissions = {
  async list() {
    const { origins = [] } = await browser.permissions.getAll();
    const declared = new Set<string>(browser.runtime.getManifest().host_permissions ?? []);
    return { declared: [...declared], granted: origins.filter((origin) => !declared.has(origin)) };
  },
  request: (pattern) => browser.permissions.request({ origins: [pattern] }),
  remove: (pattern) => browser.permissions.remove({ origins: [pattern] }),
};

render(<HostsSettings permissions={permissions} />, document.getElementById('app')!);
