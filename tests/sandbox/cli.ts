/**
 * `npm run sandbox -- [--port N] [--host H] [--state FILE] [--job-delay ms] [--workflows N]`
 * First stdout line: exactly `AFP sandbox listening on http://127.0.0.1:PORT`.
 */
import { parseArgs } from 'node:util';
import { parseWorkflowCount } from './scale.ts';
import { startSandbox } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4780' },
    host: { type: 'string', default: '127.0.0.1' },
    state: { type: 'string' },
    'job-delay': { type: 'string' },
    workflows: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
  allowPositionals: false,
});

if (values.help) {
  console.log(
    'Usage: npm run sandbox -- [--port 4780] [--host 127.0.0.1] [--state state.json] [--job-delay ms] [--workflows N]\n' +
      '  --workflows N  seed N generated workflows of mixed sizes after the five (0 to 5000)',
  );
  process.exit(0);
}

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port: ${values.port}`);
  process.exit(2);
}

let workflows: number;
try {
  workflows = parseWorkflowCount(values.workflows ?? '0');
} catch (error) {
  console.error(`Invalid --workflows: ${(error as Error).message}`);
  process.exit(2);
}

const sandbox = await startSandbox({
  workflows,
  port,
  host: values.host,
  statePath: values.state,
  jobDelayMs: values['job-delay'] !== undefined ? Number(values['job-delay']) : undefined,
});
let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  await sandbox.close();
  console.log(`AFP sandbox stopped (${signal})${values.state ? `, state saved to ${values.state}` : ''}`);
  process.exit(0);
};
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

// Handlers are in place before the first line, so a supervisor may signal as soon as it reads it.
console.log(`AFP sandbox listening on ${sandbox.url}`);
console.log('Users: owner@ / manager@ / editor@ / viewer@sandbox.test, password sandbox-pass');
