#!/usr/bin/env node
// `npm run bench [-- --core-only | --browser-only | --import-only | --bulk-only | --library-only] [--quick] [--no-build]`: the performance figures, printed as tables
// (nothing is asserted) and written to bench/results/latest.json. See docs/benchmarks.md.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { ensureDependencies, run } from './setup.mjs';
import { ensureChromium, CHROMIUM_HELP } from './chromium.mjs';

const args = process.argv.slice(2);
// Part 5 (--bulk-only) measures the built extension too.
const browserPart = ['--core-only', '--import-only'].every((only) => !args.includes(only));
const forwarded = [...args];

ensureDependencies();
if (browserPart) {
  if (!ensureChromium()) {
    console.error(`${CHROMIUM_HELP}\nThe browser part is skipped.`);
    if (args.includes('--browser-only')) process.exit(1);
    forwarded.push('--core-only');
  } else if (!args.includes('--no-build')) {
    try {
      // The build's own output goes to stderr with the progress lines: stdout is kept for the tables.
      run('npm run --silent build:sandbox', { stdio: ['inherit', 2, 'inherit'] });
    } catch {
      if (!existsSync('.output/chrome-mv3/manifest.json')) {
        console.error('The sandbox build failed and there is no earlier build: the browser part is skipped.');
        if (args.includes('--browser-only')) process.exit(1);
        forwarded.push('--core-only');
      } else {
        console.error('The sandbox build failed: measuring the earlier build in .output/chrome-mv3.');
      }
    }
  }
}

const result = spawnSync(
  process.execPath,
  ['--expose-gc', '--import', 'tsx', 'bench/index.ts', ...forwarded],
  {
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
