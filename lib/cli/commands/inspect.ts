import { type Command, exactPositionals } from '../command.ts';
import { clean, formatBytes, plural, table } from '../format.ts';
import { printJson, printer } from '../io.ts';
import { fingerprintKeyFor } from '../fingerprint-key.ts';
import { forbiddenProblems } from '../../package/forbidden.ts';
import { createConcealer } from '../../redaction/conceal.ts';
import { type LoadedPackage, loadPackage, zipEntries } from '../package-tools.ts';
import { describeTask, summarizeContent, type ContentSummary } from '../../package/summary.ts';

export interface PackageSummary extends ContentSummary {
  file: string;
  size: number;
  files: { name: string; size: number }[];
  warnings: string[];
}

/** What a package holds, with secure values left out. */
export function summarize(pkg: LoadedPackage): PackageSummary {
  return {
    file: pkg.path,
    size: pkg.bytes.length,
    files: zipEntries(pkg.bytes).map((entry) => ({ name: entry.name, size: entry.size })),
    ...summarizeContent(pkg.content),
    warnings: pkg.warnings,
  };
}

export function summaryLines(summary: PackageSummary): string[] {
  const lines: string[] = [];
  lines.push(`Package:     ${summary.file} (${formatBytes(summary.size)})`);
  lines.push(
    `Workflow:    ${summary.workflow.name}${summary.workflow.description ? ` (${summary.workflow.description})` : ''}`,
  );
  const version = summary.version;
  lines.push(
    `Version:     ${version.name}${version.id ? ` [${version.id}]` : ''}${version.createdAt ? `, created ${version.createdAt}` : ''}`,
  );
  const types = Object.entries(summary.nodes.byType).map(([type, count]) => `${type} ${count}`);
  lines.push(`Nodes:       ${summary.nodes.total}${types.length ? ` (${types.join(', ')})` : ''}`);
  const inputs = summary.io.inputs.map(
    (input) => `${input.name}: ${input.type}${input.mandatory ? ' (mandatory)' : ''}`,
  );
  lines.push(`Inputs:      ${inputs.length ? inputs.join(', ') : 'none'}`);
  const outputs = summary.io.outputs.map((output) => `${output.name}: ${output.type}`);
  lines.push(`Outputs:     ${outputs.length ? outputs.join(', ') : 'none'}`);
  const execution: string[] = [];
  if (summary.execution.syncTimeoutSec !== undefined)
    execution.push(`sync timeout ${summary.execution.syncTimeoutSec} s`);
  const asyncSetup = summary.execution.async;
  if (asyncSetup) {
    if (!asyncSetup.enabled) execution.push('async off');
    else {
      execution.push(
        `async on${asyncSetup.timeoutSec === null ? ', no timeout' : asyncSetup.timeoutSec !== undefined ? `, timeout ${asyncSetup.timeoutSec} s` : ''}`,
      );
      if (asyncSetup.pushCallbackUrl) execution.push(`push to ${asyncSetup.pushCallbackUrl}`);
      if (asyncSetup.pushAccessTokenSet) execution.push('push access token present (not shown)');
    }
  }
  lines.push(`Execution:   ${execution.length ? execution.join('; ') : 'not set'}`);
  const guardrails = summary.guardrails;
  lines.push(
    `Guardrails:  input: ${guardrails.inputScanners.join(', ') || 'none'}; output: ${guardrails.outputScanners.join(', ') || 'none'}`,
  );
  if (summary.env.length === 0) lines.push('Env vars:    none');
  else {
    lines.push(`Env vars:    ${summary.env.length}`);
    const rows = summary.env.map((variable) => [
      variable.name,
      variable.secure
        ? '(secure, value not shown)'
        : variable.value === ''
          ? '(empty)'
          : (variable.value ?? ''),
      variable.notes ?? '',
    ]);
    for (const line of table(['NAME', 'VALUE', 'NOTES'], rows)) lines.push(`  ${line}`);
  }
  if (summary.afterImport.length > 0) {
    lines.push('After import:');
    for (const task of summary.afterImport) lines.push(`  - ${describeTask(task)}`);
  }
  lines.push('Files:');
  for (const line of table(
    ['NAME', 'SIZE'],
    summary.files.map((file) => [file.name, formatBytes(file.size)]),
  ))
    lines.push(`  ${line}`);
  if (summary.warnings.length > 0) {
    lines.push(`${plural(summary.warnings.length, 'warning')}:`);
    for (const warning of summary.warnings) lines.push(`  ${warning}`);
  }
  return lines.map(clean);
}

/**
 * The summary as it may be shown: every secret hidden (a token typed into a description, a
 * callback URL with a password), each variable's value judged under its name too (`DB_PASSWORD=Winter2024!`).
 */
export function maskSummary(summary: PackageSummary, fingerprintKey: string): PackageSummary {
  const { file, ...rest } = summary;
  return { file, ...createConcealer(fingerprintKey).deep(rest) };
}

export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'show what a package holds (secure values never shown)',
  help: `Usage: porter inspect <package.zip> [--json]

Shows the workflow, version, node counts by type, inputs and outputs, execution setup, guardrails,
environment variables (values of secure variables are never shown), what to fill in after importing it
(secure values, the push token, what the account must have) and the files with their sizes.
Anything that looks like a secret in the values shown (a token in an ordinary variable, a password in a
note) is shown as ‹secret RULE #fingerprint›.

Options:
      --json  print the summary as JSON (a failure as {"error": …})
  -h, --help  show this help

Exit status: 0 when the package could be read, 1 when it is not a valid package.`,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const [path] = exactPositionals(this, args, ['package.zip']) as [string];
    const pkg = await loadPackage(io.cwd, path);
    const summary = maskSummary(summarize(pkg), await fingerprintKeyFor(io));
    // What a package must never hold is shown as a warning here; validate and import refuse it.
    for (const problem of forbiddenProblems(pkg.content))
      summary.warnings.push(`${problem.file}: ${problem.path}: ${problem.message}`);
    if (args.values.json) printJson(io, summary);
    else for (const line of summaryLines(summary)) printer(io).out(line);
    return 0;
  },
};
