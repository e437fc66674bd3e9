/**
 * The import's plan: exactly what will happen, worked out before anything is written (Terraform's plan → apply).
 * Pure: it gets the checked package and what was read from the target account, and says
 * - the name of a new workflow (the package's by default), whether it is taken, and a free one;
 * - for a new version: whether the target is deployed (the platform refuses otherwise) and the environment
 *   variables whose values differ, each with both values unless secure;
 * - the secure variables that travelled empty, which the user may fill in now;
 * - what will not resolve in the target account: linked workflows are checked against its list; AI models,
 *   custom scripts and guardrail scanners cannot be listed through the platform's API, so they are named, with
 *   what the platform does when one is missing (a scanner makes it refuse the whole import).
 * `blocking` lists what stops the import before sending; the CLI and the dialog show the same words.
 */
import { findDependencies, type VersionDependency } from '../package/dependencies.ts';
import { emptySecureVariables, type EmptySecureVariable } from '../package/import-files.ts';
import type { EnvVariable, PackageContent } from '../package/schemas.ts';
import type { WorkflowDetails, WorkflowSummary } from '../platform/types.ts';

export interface EnvConflict {
  name: string;
  secure: boolean;
  /** Both values, for variables that are not secure; secure values are never shown. */
  packageValue?: string;
  currentValue?: string;
}

export interface PlannedDependency extends VersionDependency {
  severity: 'warning' | 'error';
  message: string;
}

export type PlanTarget =
  | { kind: 'new' }
  | {
      kind: 'version';
      workflow: WorkflowDetails['workflow'];
      /** The variables of the version the import compares with (in development, else deployed). */
      currentVariables: EnvVariable[];
    };

export interface ImportPlan {
  kind: 'new' | 'version';
  packageName: string;
  /** New: the proposed name (the package's, or a free one when that is taken). Version: the target's name. */
  name: string;
  nameTaken: boolean;
  envConflicts: EnvConflict[];
  emptySecure: EmptySecureVariable[];
  dependencies: PlannedDependency[];
  /** Reasons the import cannot go ahead as planned; nothing is sent while there are any. */
  blocking: string[];
}

export function normaliseName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** `Banking Assistant (2)`, `(3)`… the first that no workflow of the account has. */
export function freeName(name: string, taken: Iterable<string>): string {
  const names = new Set(Array.from(taken, normaliseName));
  if (!names.has(normaliseName(name))) return name.trim();
  const base = name.trim().replace(/ \(\d+\)$/, '');
  for (let n = 2; ; n++) {
    const candidate = `${base} (${n})`;
    if (!names.has(normaliseName(candidate))) return candidate;
  }
}

export function isNameTaken(name: string, workflows: readonly Pick<WorkflowSummary, 'name'>[]): boolean {
  const key = normaliseName(name);
  return workflows.some((workflow) => normaliseName(workflow.name) === key);
}

/** The variables whose value (or secure flag) differs between the package and the target, as the platform judges. */
export function envConflicts(incoming: EnvVariable[], current: EnvVariable[]): EnvConflict[] {
  const existing = new Map(current.map((variable) => [variable.name, variable]));
  const conflicts: EnvConflict[] = [];
  for (const variable of incoming) {
    const old = existing.get(variable.name);
    if (!old || (old.value === variable.value && old.secure === variable.secure)) continue;
    const secure = variable.secure || old.secure;
    conflicts.push({
      name: variable.name,
      secure,
      ...(!secure && { packageValue: variable.value ?? '', currentValue: old.value ?? '' }),
    });
  }
  return conflicts;
}

const DEPENDENCY_WORDS: Record<VersionDependency['kind'], (name: string) => string> = {
  model: (name) =>
    `AI model "${name}" must be available in the target account; if it is not, its nodes keep their prompts with an empty model.`,
  linkedWorkflow: (name) =>
    `Linked workflow "${name}" does not exist in the target account; the link will be empty until you create it.`,
  customScript: (name) =>
    `Custom script "${name}" must be deployed in the target account; if it is not, its function nodes will not run.`,
  guardrail: (name) =>
    `Guardrail scanner "${name}" must be deployed in the target account (Settings → Manage Guardrails); if it is not, the platform refuses the whole import.`,
};

export function planDependencies(
  content: PackageContent,
  workflows: readonly Pick<WorkflowSummary, 'name'>[],
): PlannedDependency[] {
  return findDependencies(content)
    .filter((dependency) => dependency.kind !== 'linkedWorkflow' || !isNameTaken(dependency.name, workflows))
    .map((dependency) => ({
      ...dependency,
      severity: 'warning',
      message: DEPENDENCY_WORDS[dependency.kind](dependency.name),
    }));
}

export function planImport(input: {
  content: PackageContent;
  target: PlanTarget;
  workflows: readonly Pick<WorkflowSummary, 'name'>[];
  /** A name the user asked for (a new workflow); the package's otherwise. */
  name?: string;
}): ImportPlan {
  const { content, target, workflows } = input;
  const packageName = content.app.workflow.name;
  const dependencies = planDependencies(content, workflows);
  const emptySecure = emptySecureVariables(content);
  if (target.kind === 'new') {
    const wanted = (input.name ?? packageName).trim();
    const nameTaken = isNameTaken(wanted, workflows);
    const blocking = wanted ? [] : ['A new workflow needs a name.'];
    return {
      kind: 'new',
      packageName,
      name: nameTaken
        ? freeName(
            wanted,
            workflows.map((workflow) => workflow.name),
          )
        : wanted,
      nameTaken,
      envConflicts: [],
      emptySecure,
      dependencies,
      blocking,
    };
  }
  const blocking = target.workflow.deployedVersionId
    ? []
    : [
        `"${target.workflow.name}" is not deployed: the platform takes a new version only into a deployed workflow. Deploy it first, or import the package as a new workflow.`,
      ];
  if (!target.workflow.permissions.importVersion) {
    blocking.push(
      `Your role${target.workflow.myRole ? ` (${target.workflow.myRole})` : ''} cannot import a version into "${target.workflow.name}": that needs the tool admin or tool manager role.`,
    );
  }
  return {
    kind: 'version',
    packageName,
    name: target.workflow.name,
    nameTaken: false,
    envConflicts: envConflicts(content.env.variables, target.currentVariables),
    emptySecure,
    dependencies,
    blocking,
  };
}
