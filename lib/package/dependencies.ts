/**
 * What a version needs from the account it is imported into, as the product's own pre-export check lists it:
 * AI models, linked workflows, custom scripts and guardrail scanners.
 */
import type { AppDefinition, FlowDefinition } from './schemas';

/** The kinds, in the order the check lists them. */
export const DEPENDENCY_KINDS = ['model', 'linkedWorkflow', 'customScript', 'guardrail'] as const;
export type DependencyKind = (typeof DEPENDENCY_KINDS)[number];
export interface VersionDependency {
  kind: DependencyKind;
  name: string;
}

function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function nameOf(value: unknown): string | null {
  if (typeof value === 'string' && value.trim()) return value.trim();
  const object = record(value);
  for (const key of ['name', 'script', 'scriptName', 'workflowName', 'id']) {
    const candidate = object?.[key];
    if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
  }
  return null;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

const LINKED_WORKFLOW_KEYS = ['linkedWorkflows', 'workflows', 'linkedWorkflow', 'workflow', 'childWorkflows'];
const CUSTOM_SCRIPT_KEYS = ['customScript', 'customFunction', 'script', 'scriptName'];

export function findDependencies(version: { app: AppDefinition; flow: FlowDefinition }): VersionDependency[] {
  const found = new Map<string, VersionDependency>();
  const add = (kind: DependencyKind, name: string | null) => {
    if (name) found.set(`${kind}\u0000${name}`, { kind, name });
  };

  for (const node of version.flow.nodes) {
    const config = record(node.config) ?? {};
    if (node.type === 'ai') {
      const model = record(config.model);
      add('model', typeof model?.name === 'string' && model.name ? model.name : null);
    }
    // AI nodes call other workflows through `workflowCalling.workflows`; other shapes name them directly.
    const calling = record(config.workflowCalling);
    for (const entry of list(calling?.workflows)) add('linkedWorkflow', nameOf(entry));
    for (const key of LINKED_WORKFLOW_KEYS)
      for (const entry of list(config[key])) add('linkedWorkflow', nameOf(entry));
    if (node.type === 'function') {
      for (const key of CUSTOM_SCRIPT_KEYS)
        for (const entry of list(config[key])) add('customScript', nameOf(entry));
    }
  }
  for (const scanner of [
    ...(version.app.guardrails?.inputScanners ?? []),
    ...(version.app.guardrails?.outputScanners ?? []),
  ]) {
    add('guardrail', scanner.type);
  }
  return [...found.values()].sort(
    (a, b) =>
      DEPENDENCY_KINDS.indexOf(a.kind) - DEPENDENCY_KINDS.indexOf(b.kind) || a.name.localeCompare(b.name),
  );
}
