#!/usr/bin/env node
// Builds the `porter` command line into one file, dist/porter.mjs, so that it starts without compiling
// TypeScript (bin/porter.mjs falls back to tsx when the bundle is missing or older than lib/).
// Runs on `npm install` / `npm ci` (the `prepare` script) and on its own: `node scripts/build-cli.mjs`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ['lib/cli/main.ts'],
  outfile: 'dist/porter.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Only what the CLI reaches: the extension's browser code is never imported from lib/cli.
  logLevel: 'warning',
  legalComments: 'none',
  // Smaller to parse at every start (nothing the CLI prints comes from a stack trace).
  minify: true,
  banner: { js: '// Built by scripts/build-cli.mjs from lib/cli/main.ts: do not edit.' },
});
