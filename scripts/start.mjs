#!/usr/bin/env node
// `npm start`: builds the extension, starts the sandbox and opens Chromium with the extension at the sandbox's login
// page. Without a display it says so and runs the headless demo instead.
import { spawn } from 'node:child_process';
import { ensureDependencies, run } from './setup.mjs';
import { ensureChromium, CHROMIUM_HELP } from './chromium.mjs';

ensureDependencies();
const chromium = ensureChromium();
if (!chromium) {
  console.error(CHROMIUM_HELP);
  process.exit(1);
}

const hasDisplay =
  Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) ||
  process.platform === 'darwin' ||
  process.platform === 'win32';
if (!hasDisplay) {
  console.log('No display found ($DISPLAY and $WAYLAND_DISPLAY are not set), so no browser window can open.');
  console.log(
    'Running the headless demo instead (`npm run demo`): screenshots and the exported package go to demo-output/.\n',
  );
  run('node scripts/run-demo.mjs');
  process.exit(0);
}

run('npm run --silent build:sandbox');
const child = spawn('npx', ['tsx', 'scripts/open-browser.ts'], {
  stdio: 'inherit',
  env: { ...process.env, CHROMIUM_BIN: chromium },
});
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
