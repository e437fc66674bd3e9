#!/usr/bin/env node
// `npm test`: type check, lint, unit tests, build, end-to-end tests, in that order, stopping at the first failure.
import { execSync } from 'node:child_process';
import { ensureDependencies } from './setup.mjs';
import { ensureChromium, CHROMIUM_HELP } from './chromium.mjs';

ensureDependencies();

const steps = [
  ['type check', 'npx tsc --noEmit -p .'],
  ['lint', 'npx eslint . && npx prettier --check . --log-level warn'],
  ['unit tests', 'npx vitest run'],
  ['build (sandbox)', 'npm run --silent build:sandbox'],
  ['end-to-end tests', 'npx playwright test'],
];
const only = process.argv[2];

for (const [name, command] of steps) {
  if (only && !name.startsWith(only)) continue;
  console.log(`\n=== ${name}: ${command}`);
  if (name === 'end-to-end tests' && !ensureChromium()) {
    console.error(CHROMIUM_HELP);
    process.exit(1);
  }
  try {
    execSync(command, { stdio: 'inherit' });
  } catch {
    console.error(`\n✗ ${name} failed.`);
    process.exit(1);
  }
}
console.log('\n✓ All checks passed.');
