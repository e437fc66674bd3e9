// Finds a Firefox that installs an unsigned build as a temporary add-on; on Debian installs `firefox-esr` when missing.
import { installedBrowser } from './installed-browser.mjs';

const firefox = installedBrowser({
  candidates: [process.env.FIREFOX_BIN, '/usr/lib/firefox-esr/firefox-esr', '/usr/lib/firefox/firefox'],
  debianPackage: 'firefox-esr',
  label: 'Firefox',
});

export const findFirefox = firefox.find;
export const ensureFirefox = firefox.ensure;

export const FIREFOX_HELP =
  'No Firefox found. Install it (Debian/Ubuntu: `sudo apt-get install firefox-esr`) or set FIREFOX_BIN to the real ' +
  'browser binary (on Debian /usr/lib/firefox-esr/firefox-esr, not the /usr/bin wrapper).';
