// First-run set-up shared by `npm start`, `npm test` and `npm run demo`: only Node built-ins here, since it runs
// before the dependencies exist.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

export function run(command, options = {}) {
  execSync(command, { stdio: 'inherit', ...options });
}

export function ensureDependencies() {
  const installed = existsSync('node_modules/.package-lock.json') && existsSync('node_modules/wxt');
  if (!installed) {
    console.log('Installing npm dependencies (first run)…');
    run(
      existsSync('package-lock.json')
        ? 'npm ci --no-audit --no-fund --loglevel=warn'
        : 'npm install --no-audit --no-fund --loglevel=warn',
    );
  }
  if (!existsSync('.wxt/tsconfig.json')) run('npx wxt prepare');
}
