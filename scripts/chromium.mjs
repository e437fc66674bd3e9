// Finds a Chromium that can load unpacked extensions; on Debian installs the `chromium` package when it is missing.
import { installedBrowser } from './installed-browser.mjs';

const chromium = installedBrowser({
  candidates: [
    process.env.CHROMIUM_BIN,
    '/usr/lib/chromium/chromium',
    '/usr/lib/chromium-browser/chromium-browser',
  ],
  debianPackage: 'chromium',
  label: 'Chromium',
});

export const findChromium = chromium.find;
export const ensureChromium = chromium.ensure;

export const CHROMIUM_HELP =
  'No Chromium found. Install it (Debian/Ubuntu: `sudo apt-get install chromium`) or set CHROMIUM_BIN to the real ' +
  'browser binary (on Debian /usr/lib/chromium/chromium, not the /usr/bin wrapper). Branded Google Chrome ignores ' +
  '--load-extension since version 137, so it cannot be used here.';
