#!/usr/bin/env node
// `npm run demo`: the headless tour (set-up first, so it works as the very first command).
import { ensureDependencies, run } from './setup.mjs';
import { ensureChromium, CHROMIUM_HELP } from './chromium.mjs';

ensureDependencies();
if (!ensureChromium()) {
  console.error(CHROMIUM_HELP);
  process.exit(1);
}
run('npm run --silent build:sandbox');
run(`npx tsx scripts/demo.ts ${process.argv.slice(2).join(' ')}`);
