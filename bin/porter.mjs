#!/usr/bin/env node
// `porter`, the AFP Porter command line. Runs the bundle dist/porter.mjs (built by `npm install` / `npm ci`
// through the `prepare` script, or `node scripts/build-cli.mjs`), which starts without compiling anything.
// In development, when the bundle is missing or older than a source file under lib/, it runs the sources
// through tsx instead, so an edit is never hidden by a stale build.
// Works from any folder and through `npx porter`: every path below is relative to this file.
import module from 'node:module';
import { existsSync, readdirSync, statSync } from 'node:fs';

if (typeof module.register !== 'function') {
  process.stderr.write(`porter: needs Node.js 20.6 or newer (this is ${process.version})\n`);
  process.exit(1);
}

const bundle = new URL('../dist/porter.mjs', import.meta.url);
const sources = new URL('../lib/', import.meta.url);

/** The newest modification time of the files under `dir` (0 when there are none). */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.tsx?$/.test(entry.name)) continue;
    newest = Math.max(newest, statSync(`${entry.parentPath ?? entry.path}/${entry.name}`).mtimeMs);
  }
  return newest;
}

function bundleIsFresh() {
  if (!existsSync(bundle)) return false;
  // An installed copy without sources: the bundle is all there is.
  if (!existsSync(sources)) return true;
  return statSync(bundle).mtimeMs >= newestSource(sources);
}

let runCli;
if (process.env.PORTER_FROM_SOURCES !== '1' && bundleIsFresh()) {
  ({ runCli } = await import(bundle.href));
} else {
  const { register } = await import('tsx/esm/api');
  // Our modules import each other with relative paths, so no tsconfig is needed (and none is read from the cwd).
  register({ tsconfig: false });
  ({ runCli } = await import(new URL('../lib/cli/main.ts', import.meta.url).href));
}

const controller = new AbortController();
process.once('SIGINT', () => {
  controller.abort();
  process.once('SIGINT', () => process.exit(130));
});
// `porter inspect x.zip | head`: a closed pipe is not an error.
process.stdout.on('error', (error) => {
  if (error && error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  signal: controller.signal,
});
