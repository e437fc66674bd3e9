// Finds a Chromium that can load unpacked extensions; on Debian installs the `chromium` package when it is missing.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const CANDIDATES = [
  process.env.CHROMIUM_BIN,
  '/usr/lib/chromium/chromium',
  '/usr/lib/chromium-browser/chromium-browser',
];

export function findChromium() {
  return CANDIDATES.find((candidate) => candidate && existsSync(candidate)) ?? null;
}

export function ensureChromium({ install = true } = {}) {
  const found = findChromium();
  if (found || !install) return found;
  const isDebian = existsSync('/etc/debian_version');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isDebian && isRoot) {
    console.log("Chromium is missing: installing Debian's chromium package (apt-get install chromium)…");
    execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
      stdio: 'inherit',
    });
    return findChromium();
  }
  return null;
}

export const CHROMIUM_HELP =
  'No Chromium found. Install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_BIN to the real ' +
  'browser binary (on Debian /usr/lib/chromium/chromium, not the /usr/bin wrapper). Branded Google Chrome ignores ' +
  '--load-extension since version 137, so it cannot be used here.';
