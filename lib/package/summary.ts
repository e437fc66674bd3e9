/**
 * What a package holds, as a person reads it: the workflow and version, nodes by type, inputs and outputs,
 * guardrail scanners, sync/async set-up, environment variables (secure values never included) and what must be
 * filled in after importing it. Shared by the viewer's Overview and `porter inspect`.
 */
import { findDependencies, type DependencyKind } from './dependencies.ts';
import type { PackageContent } from './schemas.ts';

export interface ContentSummary {
  workflow: { name: string; description: string };
  version: { id?: string; name: string; description?: string; createdAt?: string };
  /** Types in alphabetical order. */
  nodes: { total: number; byType: Record<string, number> };
  io: {
    inputs: { name: string; type: string; mandatory: boolean }[];
    outputs: { name: string; type: string }[];
  };
  execution: {
    syncTimeoutSec?: number;
    async?: {
      enabled: boolean;
      timeoutSec?: number | null;
      pushCallbackUrl?: string;
      pushAccessTokenSet: boolean;
    };
  };
  guardrails: { inputScanners: string[]; outputScanners: string[] };
  env: { name: string; secure: boolean; value?: string; notes?: string }[];
  /** What the person importing the package has to supply or check, in the order they would do it. */
  afterImport: AfterImportTask[];
}

export type AfterImportTask =
  /** A secure variable arrives empty: its value must be set in the target account. */
  | { kind: 'secure-variable'; name: string; notes?: string; usedBy: string[] }
  /** A node refers to a variable the package does not define. */
  | { kind: 'undefined-variable'; name: string; usedBy: string[] }
  /** Async push is on, and its access token is never exported. */
  | { kind: 'push-token'; callbackUrl?: string }
  /** Something the target account must already have (a model, a linked workflow, a script, a scanner). */
  | { kind: 'dependency'; dependency: DependencyKind; name: string };

const ENV_REFERENCE = /\{\{\s*context\.env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** Node names by the variables their configuration refers to (`{{context.env.NAME}}`). */
export function variableUsers(content: PackageContent): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const node of content.flow.nodes) {
    const text = JSON.stringify(node.config ?? {});
    for (const match of text.matchAll(ENV_REFERENCE)) {
      const list = users.get(match[1]!) ?? [];
      if (!list.includes(node.name)) list.push(node.name);
      users.set(match[1]!, list);
    }
  }
  return users;
}

export function afterImportTasks(content: PackageContent): AfterImportTask[] {
  const users = variableUsers(content);
  const tasks: AfterImportTask[] = [];
  const defined = new Set(content.env.variables.map((variable) => variable.name));
  for (const variable of content.env.variables) {
    if (!variable.secure || variable.value !== '') continue;
    tasks.push({
      kind: 'secure-variable',
      name: variable.name,
      ...(variable.notes ? { notes: variable.notes } : {}),
      usedBy: users.get(variable.name) ?? [],
    });
  }
  for (const [name, usedBy] of users) {
    if (!defined.has(name)) tasks.push({ kind: 'undefined-variable', name, usedBy });
  }
  const asyncSetup = content.app.execution?.async;
  if (asyncSetup?.enabled && asyncSetup.push) {
    tasks.push({
      kind: 'push-token',
      ...(asyncSetup.push.callbackUrl ? { callbackUrl: asyncSetup.push.callbackUrl } : {}),
    });
  }
  for (const dependency of findDependencies(content))
    tasks.push({ kind: 'dependency', dependency: dependency.kind, name: dependency.name });
  return tasks;
}

const DEPENDENCY_LABELS: Record<DependencyKind, string> = {
  model: 'AI model',
  linkedWorkflow: 'linked workflow',
  customScript: 'custom script',
  guardrail: 'guardrail scanner',
};

/** One sentence per task, for people (the viewer and `porter inspect`). */
export function describeTask(task: AfterImportTask): string {
  const used = (usedBy: string[]) => (usedBy.length ? ` (used by ${usedBy.join(', ')})` : '');
  switch (task.kind) {
    case 'secure-variable':
      return `Set the value of the secure variable ${task.name}${used(task.usedBy)}: packages never carry it.`;
    case 'undefined-variable':
      return `Define the variable ${task.name}${used(task.usedBy)}: the package refers to it but does not hold it.`;
    case 'push-token':
      return `Set the async push access token${task.callbackUrl ? ` for ${task.callbackUrl}` : ''}: it is never exported.`;
    case 'dependency':
      return `Check that the account has the ${DEPENDENCY_LABELS[task.dependency]} "${task.name}".`;
  }
}

export function summarizeContent(content: PackageContent): ContentSummary {
  const { app, flow, env } = content;
  const byType: Record<string, number> = {};
  for (const node of flow.nodes) byType[node.type] = (byType[node.type] ?? 0) + 1;
  const sortedByType = Object.fromEntries(Object.entries(byType).sort(([a], [b]) => (a < b ? -1 : 1)));
  const asyncSetup = app.execution?.async;
  return {
    workflow: { name: app.workflow.name, description: app.workflow.description ?? '' },
    version: {
      ...(app.version.id ? { id: app.version.id } : {}),
      name: app.version.name,
      ...(app.version.description ? { description: app.version.description } : {}),
      ...(app.version.createdAt ? { createdAt: app.version.createdAt } : {}),
    },
    nodes: { total: flow.nodes.length, byType: sortedByType },
    io: {
      inputs: app.io.inputs.map((input) => ({
        name: input.name,
        type: input.type,
        mandatory: input.mandatory ?? false,
      })),
      outputs: app.io.outputs.map((output) => ({ name: output.name, type: output.type })),
    },
    execution: {
      ...(app.execution?.syncTimeoutSec !== undefined
        ? { syncTimeoutSec: app.execution.syncTimeoutSec }
        : {}),
      ...(asyncSetup
        ? {
            async: {
              enabled: asyncSetup.enabled,
              ...(asyncSetup.timeoutSec !== undefined ? { timeoutSec: asyncSetup.timeoutSec } : {}),
              ...(asyncSetup.push?.callbackUrl ? { pushCallbackUrl: asyncSetup.push.callbackUrl } : {}),
              pushAccessTokenSet: Boolean(asyncSetup.push?.accessToken),
            },
          }
        : {}),
    },
    guardrails: {
      inputScanners: (app.guardrails?.inputScanners ?? []).map((scanner) => scanner.type),
      outputScanners: (app.guardrails?.outputScanners ?? []).map((scanner) => scanner.type),
    },
    env: env.variables.map((variable) => ({
      name: variable.name,
      secure: variable.secure,
      ...(variable.secure ? {} : { value: variable.value }),
      ...(variable.notes ? { notes: variable.notes } : {}),
    })),
    afterImport: afterImportTasks(content),
  };
}
