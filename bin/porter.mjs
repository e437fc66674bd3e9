#!/usr/bin/env node
// `porter`, the AFP Porter command line. No build step: tsx compiles lib/cli/main.ts on the fly.
// Works from any folder and through `npx porter`: every path below is relative to this file.
import module from 'node:module';

if (typeof module.register !== 'function') {
  process.stderr.write(`porter: needs Node.js 20.6 or newer (this is ${process.version})\n`);
  process.exit(1);
}

const { register } = await import('tsx/esm/api');
// Our modules import each other with relative paths, so no tsconfig is needed (and none is read from the cwd).
register({ tsconfig: false });

const { runCli } = await import(new URL('../lib/cli/main.ts', import.meta.url).href);

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
