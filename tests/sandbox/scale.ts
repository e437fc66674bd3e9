/**
 * Extra generated workflows for trying bulk export at scale (`--workflows N`, `startSandbox({ workflows: N })`).
 *
 * Deterministic: workflow `i` (1-based) always has the same ID, name, versions and content, whatever N is, so a
 * test can name "generated workflow 7" and a bench run at 200 holds the 20 of a run at 20. Fault-free: every one
 * validates and exports cleanly (no secret typed into an ordinary field, so the leak check never refuses one).
 *
 * The mix, by `i`:
 * - size: every 20th is large (800, 450, 650, 500, 700 nodes in turn: the largest comes first, so the memory of a
 *   run at 20 and at 200 compares counts, not sizes), every 20th + 1..5 medium (60–200), the rest small (8–30);
 * - versions: `i % 3 === 1` deployed only, `=== 2` in development only, `=== 0` deployed plus a newer draft;
 * - roles: owner and manager as on the seeded five; the editor is a tool viewer on every 10th; the viewer is a
 *   tool editor on every 4th (+1) and has no role at all on every 15th (the workflow is not listed to them);
 * - names: "<Area> <Kind> <i>", except that 3 and 4 are "Ops: Intake" and "Ops / Intake", two names that give
 *   the same file name ("Ops - Intake"), so bulk export's folder names must tell them apart.
 */
import { generateClaimsFlow, mulberry32 } from './generate.ts';
import { stableHex, stableUuid } from './ids.ts';
import { USERS } from './seed.ts';
import type { AuditLog, EnvVariable, SharingEntry, ToolRole, Version, Workflow } from './types.ts';

/** More than this many generated workflows is refused (a typo, not a test). */
export const MAX_GENERATED_WORKFLOWS = 5000;

const AREAS = ['Payments', 'Lending', 'Claims', 'Support', 'Onboarding', 'Fraud', 'Treasury', 'Compliance'];
const KINDS = ['Router', 'Intake', 'Review', 'Reconciliation', 'Escalation', 'Digest', 'Follow-up'];
const SPECIAL_NAMES: Record<number, string> = { 3: 'Ops: Intake', 4: 'Ops / Intake' };
/** Large workflows take these sizes in turn; the first (number 20) is the largest, so any N ≥ 20 holds it. */
const LARGE_SIZES = [800, 450, 650, 500, 700];

export type GeneratedSize = 'small' | 'medium' | 'large';

/** What generated workflow `i` is, without building it (tests and the bench pick by these). */
export interface GeneratedWorkflowPlan {
  index: number;
  id: string;
  name: string;
  size: GeneratedSize;
  nodeCount: number;
  deployedVersionId: string | null;
  inDevelopmentVersionId: string | null;
  roles: { owner: ToolRole; manager: ToolRole; editor: ToolRole; viewer: ToolRole | null };
}

const pad = (i: number) => String(i).padStart(3, '0');

export function generatedWorkflowPlan(index: number): GeneratedWorkflowPlan {
  const rand = mulberry32(9_000 + index);
  const between = (low: number, high: number) => low + Math.floor(rand() * (high - low + 1));
  const size: GeneratedSize = index % 20 === 0 ? 'large' : index % 20 <= 5 ? 'medium' : 'small';
  const nodeCount =
    size === 'large'
      ? LARGE_SIZES[(index / 20 - 1) % LARGE_SIZES.length]!
      : size === 'medium'
        ? between(60, 200)
        : between(8, 30);
  const mode = index % 3;
  const versionId = (key: string) => `cf-${stableUuid(`generated:${index}:version:${key}`)}`;
  return {
    index,
    id: `a-${stableUuid(`generated:${index}:workflow`)}`,
    name:
      SPECIAL_NAMES[index] ??
      `${AREAS[index % AREAS.length]} ${KINDS[Math.floor(index / AREAS.length) % KINDS.length]} ${pad(index)}`,
    size,
    nodeCount,
    deployedVersionId: mode === 2 ? null : versionId('v1'),
    inDevelopmentVersionId: mode === 1 ? null : mode === 2 ? versionId('v1') : versionId('v2'),
    roles: {
      owner: 'tool admin',
      manager: 'tool manager',
      editor: index % 10 === 0 ? 'tool viewer' : 'tool editor',
      viewer: index % 15 === 0 ? null : index % 4 === 1 ? 'tool editor' : 'tool viewer',
    },
  };
}

function sharing(plan: GeneratedWorkflowPlan): SharingEntry[] {
  return (['owner', 'manager', 'editor', 'viewer'] as const).flatMap((key) => {
    const role = plan.roles[key];
    return role ? [{ userId: USERS[key].id, email: USERS[key].email, role }] : [];
  });
}

function env(plan: GeneratedWorkflowPlan): Version['env'] {
  const variables: EnvVariable[] = [
    {
      name: 'CLAIMS_API',
      value: `https://gen-${plan.index}.sandboxbank.example/api`,
      secure: false,
      notes: '',
    },
    { name: 'FRAUD_THRESHOLD', value: '0.72', secure: false, notes: '' },
  ];
  // Four in five carry a secure value, so the redaction counts in a bulk export differ between workflows.
  if (plan.index % 5 !== 0)
    variables.push({
      name: 'SERVICE_TOKEN',
      value: `svc_${stableHex(`generated:${plan.index}:token`, 32)}`,
      secure: true,
      notes: '',
    });
  return { schemaVersion: '1.0', variables };
}

const DAY_MS = 86_400_000;
const EPOCH = Date.parse('2025-01-06T09:00:00.000Z');

/** Generated workflow `i`, a fresh object every call. */
export function generatedWorkflow(index: number): Workflow {
  const plan = generatedWorkflowPlan(index);
  const createdAt = new Date(EPOCH + index * DAY_MS).toISOString();
  const draftAt = new Date(EPOCH + index * DAY_MS + 3 * 3_600_000).toISOString();
  const app = {
    io: {
      inputs: [{ name: 'claimId', type: 'string', mandatory: true }],
      outputs: [{ name: 'decision', type: 'string' }],
    },
    execution: { syncTimeoutSec: 180, async: { enabled: false, timeoutSec: null } },
    guardrails: { inputScanners: [], outputScanners: [] },
  };
  const version = (id: string, name: string, state: Version['state'], at: string, seed: number): Version => ({
    id,
    name,
    description: `Generated ${plan.size} workflow ${index}`,
    state,
    createdAt: at,
    updatedAt: at,
    app: structuredClone(app),
    flow: generateClaimsFlow(plan.nodeCount, seed),
    env: env(plan),
  });
  const versions: Version[] = [];
  if (plan.deployedVersionId)
    versions.push(version(plan.deployedVersionId, 'v1', 'deployed', createdAt, 30_000 + index));
  if (plan.inDevelopmentVersionId) {
    const second = plan.deployedVersionId !== null;
    versions.push(
      second
        ? version(plan.inDevelopmentVersionId, 'v2 draft', 'in-development', draftAt, 60_000 + index)
        : version(plan.inDevelopmentVersionId, 'v1 draft', 'in-development', createdAt, 30_000 + index),
    );
  }
  const auditLogs: AuditLog[] = [
    {
      id: `al-${stableUuid(`generated:${index}:audit:0`)}`,
      event: 'Workflow created',
      category: 'Workflow Management',
      user: USERS.owner.email,
      at: createdAt,
      description: `Workflow "${plan.name}" created`,
      metadata: { 'Agent ID': plan.id },
    },
  ];
  return {
    id: plan.id,
    name: plan.name,
    description: `Generated for scale tests (${plan.size}, ${plan.nodeCount} nodes).`,
    createdAt,
    updatedAt: versions.at(-1)!.updatedAt,
    createdBy: USERS.owner.id,
    deployedVersionId: plan.deployedVersionId,
    apiKeys: plan.deployedVersionId
      ? [
          {
            id: `key-${stableUuid(`generated:${index}:key`)}`,
            name: 'prod',
            key: `kg-${stableUuid(`generated:${index}:key-value`)}`,
            createdAt,
            lastUsedAt: null,
          },
        ]
      : [],
    sharing: sharing(plan),
    auditLogs,
    versions,
  };
}

/** Generated workflows 1..count. */
export function generatedWorkflows(count: number): Workflow[] {
  return Array.from({ length: count }, (_, i) => generatedWorkflow(i + 1));
}

/** Checks `--workflows N` / `{ workflows: N }`: a whole number from 0 to {@link MAX_GENERATED_WORKFLOWS}. */
export function parseWorkflowCount(value: unknown): number {
  const count = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > MAX_GENERATED_WORKFLOWS)
    throw new RangeError(
      `The number of generated workflows must be a whole number from 0 to ${MAX_GENERATED_WORKFLOWS} (got ${String(value)}).`,
    );
  return count;
}
