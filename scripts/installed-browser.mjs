// Finds a browser binary among known places; on Debian as root installs its package when it is missing.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

export function installedBrowser({ candidates, debianPackage, label }) {
  const find = () => candidates.find((candidate) => candidate && existsSync(candidate)) ?? null;
  const ensure = ({ install = true } = {}) => {
    const found = find();
    if (found || !install) return found;
    const isDebian = existsSync('/etc/debian_version');
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isDebian || !isRoot) return null;
    console.log(`${label} is missing: installing Debian's ${debianPackage} package…`);
    execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${debianPackage}`, {
      stdio: 'inherit',
    });
    return find();
  };
  return { find, ensure };
}
