#!/usr/bin/env node
// `npm test`: type check, lint, unit tests, the store packages and Mozilla's linter on them, the sandbox builds,
// end-to-end tests in Chromium and in Firefox, in that order, stopping at the first failure.
// Ends with one line that totals the unit and end-to-end tests: "Total: N passed, N failed".
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureDependencies } from './setup.mjs';
import { ensureChromium, CHROMIUM_HELP } from './chromium.mjs';
import { ensureFirefox, FIREFOX_HELP } from './firefox.mjs';

ensureDependencies();

const RESULTS = '.test-results';
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

const steps = [
  ['type check', 'npx tsc --noEmit -p .'],
  ['lint', 'npx eslint . && npx prettier --check . --log-level warn'],
  [
    'unit tests',
    `npx vitest run --reporter=default --reporter=json --outputFile.json=${RESULTS}/vitest.json`,
  ],
  ['store packages and web-ext lint', 'npm run --silent zip && node scripts/lint-firefox.mjs'],
  [
    'build (sandbox, Chrome and Firefox)',
    'npm run --silent build:sandbox && npm run --silent build:firefox:sandbox',
  ],
  ['end-to-end tests', 'npx playwright test --reporter=list,json'],
];
const only = process.argv[2];

function totals() {
  let passed = 0;
  let failed = 0;
  const unit = `${RESULTS}/vitest.json`;
  if (existsSync(unit)) {
    const report = JSON.parse(readFileSync(unit, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
  }
  const e2e = `${RESULTS}/playwright.json`;
  if (existsSync(e2e)) {
    const { stats = {} } = JSON.parse(readFileSync(e2e, 'utf8'));
    passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
    failed += stats.unexpected ?? 0;
  }
  return `Total: ${passed} passed, ${failed} failed`;
}

for (const [name, command] of steps) {
  if (only && !name.startsWith(only)) continue;
  console.log(`\n=== ${name}: ${command}`);
  if (name === 'end-to-end tests') {
    for (const [ensure, help] of [
      [ensureChromium, CHROMIUM_HELP],
      [ensureFirefox, FIREFOX_HELP],
    ]) {
      if (ensure()) continue;
      console.error(help);
      process.exit(1);
    }
  }
  try {
    execSync(command, {
      stdio: 'inherit',
      env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: `${RESULTS}/playwright.json` },
    });
  } catch {
    console.error(`\n✗ ${name} failed.`);
    // Every test may pass while the step fails: an error outside a test, a type or lint error.
    console.log(`${totals()} (${name} failed: see above)`);
    process.exit(1);
  }
}
console.log('\n✓ All checks passed.');
console.log(totals());
