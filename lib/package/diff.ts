/**
 * What changed between two packages, in terms a workflow author uses: nodes added, removed and changed
 * (field by field), connections, app definition fields, environment variables.
 *
 * - Nodes are matched by name and type first (unique on both sides): a platform regenerates node ids between
 *   versions, so an id is no identity; the nodes left over are then matched by id (a renamed node). An id is
 *   never a change, and a configuration naming another node by id is compared by that node's name.
 * - Connections are compared as edges `from --outcome--> to` between matched nodes, so a node that got a
 *   new id does not make every edge look new. They are reported once, in `connections`, not in node fields.
 * - Field paths use the package's own notation: `config.headers[0].value`, `["odd key"]` when needed.
 * - Secrets in the values shown are hidden (conceal.ts), so a platform's own export can be compared safely.
 * - Environment variables: the value of a variable that is secure on EITHER side is never included in the
 *   diff (not in `before`/`after`, not in a field change); only `valueChanged: true`. Added and removed
 *   variables carry no value at all when secure.
 */
import microdiff from 'microdiff';
import { createConcealer } from '../redaction/conceal.ts';
import type { EnvVariable, FlowNode, PackageContent } from './schemas.ts';

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface FieldChange {
  path: string;
  kind: ChangeKind;
  before?: unknown;
  after?: unknown;
}

export interface NodeRef {
  id: string;
  name: string;
  type: string;
}

export interface NodeChange {
  before: NodeRef;
  after: NodeRef;
  /** 'name': same name and type; 'id': same id, renamed or retyped. */
  matchedBy: 'id' | 'name';
  /** Field-level changes, `connections` excluded (see PackageDiff.connections). */
  fields: FieldChange[];
}

export interface ConnectionRef {
  outcome: string;
  /** Names (after-side names for nodes present in `b`). */
  from: string;
  to: string;
}

export interface EnvVariableRef {
  name: string;
  secure: boolean;
  /** Only for non-secure variables. */
  value?: string;
}

export interface EnvVariableChange {
  name: string;
  secure: { before: boolean; after: boolean };
  valueChanged: boolean;
  /** Only when the variable is non-secure on both sides. */
  before?: string;
  after?: string;
  /** Changes to other fields (notes, unknown keys); never `value`. */
  fields: FieldChange[];
}

export interface PackageDiff {
  app: FieldChange[];
  flow: {
    /** Changes to flow_definition.json outside `nodes` (schemaVersion, unknown keys). */
    fields: FieldChange[];
    nodesAdded: NodeRef[];
    nodesRemoved: NodeRef[];
    nodesChanged: NodeChange[];
    connectionsAdded: ConnectionRef[];
    connectionsRemoved: ConnectionRef[];
  };
  env: {
    fields: FieldChange[];
    added: EnvVariableRef[];
    removed: EnvVariableRef[];
    changed: EnvVariableChange[];
  };
}

// ---------------------------------------------------------------------------------------------------------

export interface DiffOptions {
  /** Key for the fingerprints of hidden secrets; a random one by default. */
  fingerprintKey?: string;
}

/** The differences between two packages; every secret in a value shown is hidden (see conceal.ts). */
export function diffPackages(
  original: PackageContent,
  changed: PackageContent,
  options: DiffOptions = {},
): PackageDiff {
  const concealer = createConcealer(options.fingerprintKey);
  const a = concealer.deep(original);
  const b = concealer.deep(changed);
  return {
    app: fieldChanges(a.app, b.app),
    flow: diffFlow(a.flow, b.flow),
    env: diffEnv(a.env, b.env),
  };
}

export function isEmptyDiff(diff: PackageDiff): boolean {
  const { flow, env } = diff;
  return (
    diff.app.length === 0 &&
    flow.fields.length === 0 &&
    flow.nodesAdded.length === 0 &&
    flow.nodesRemoved.length === 0 &&
    flow.nodesChanged.length === 0 &&
    flow.connectionsAdded.length === 0 &&
    flow.connectionsRemoved.length === 0 &&
    env.fields.length === 0 &&
    env.added.length === 0 &&
    env.removed.length === 0 &&
    env.changed.length === 0
  );
}

/** Field-level changes between two JSON values, with formatted paths. */
export function fieldChanges(
  before: unknown,
  after: unknown,
  prefix: (string | number)[] = [],
): FieldChange[] {
  if (!isContainer(before) || !isContainer(after) || Array.isArray(before) !== Array.isArray(after)) {
    return Object.is(before, after) || jsonEqual(before, after)
      ? []
      : [{ path: formatPath(prefix), kind: 'changed', before, after }];
  }
  return microdiff(before, after, { cyclesFix: false }).map((d) => {
    const path = formatPath([...prefix, ...d.path]);
    if (d.type === 'CREATE') return { path, kind: 'added', after: d.value };
    if (d.type === 'REMOVE') return { path, kind: 'removed', before: d.oldValue };
    return { path, kind: 'changed', before: d.oldValue, after: d.value };
  });
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null;
}

function jsonEqual(x: unknown, y: unknown): boolean {
  return JSON.stringify(x) === JSON.stringify(y);
}

/** `['config', 'headers', 0, 'value']` → `config.headers[0].value`; odd keys as `["a b"]`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || '(root)';
}

// ---------------------------------------------------------------------------------------------------------
// flow

function nodeRef(node: FlowNode): NodeRef {
  return { id: node.id, name: node.name, type: node.type };
}

function diffFlow(a: PackageContent['flow'], b: PackageContent['flow']): PackageDiff['flow'] {
  const { nodes: nodesA, ...restA } = a;
  const { nodes: nodesB, ...restB } = b;

  // Match: a unique name and type (what identifies a node to a person: a platform regenerates ids between
  // versions), then the same id among the leftovers (a renamed node).
  const pairs: { a: FlowNode; b: FlowNode; by: 'id' | 'name' }[] = [];
  const matchedA = new Set<FlowNode>();
  const matchedB = new Set<FlowNode>();
  const identity = (n: FlowNode) => `${n.type}\u0000${n.name}`;
  const unique = (nodes: FlowNode[]) => {
    const map = new Map<string, FlowNode | null>();
    for (const n of nodes) map.set(identity(n), map.has(identity(n)) ? null : n);
    return map;
  };
  const uniqueB = unique(nodesB);
  const uniqueA = unique(nodesA);
  for (const node of nodesA) {
    const other = uniqueA.get(identity(node)) ? uniqueB.get(identity(node)) : undefined;
    if (!other) continue;
    pairs.push({ a: node, b: other, by: 'name' });
    matchedA.add(node);
    matchedB.add(other);
  }
  const leftB = new Map(nodesB.filter((n) => !matchedB.has(n)).map((n) => [n.id, n]));
  for (const node of nodesA) {
    const other = matchedA.has(node) ? undefined : leftB.get(node.id);
    if (!other) continue;
    pairs.push({ a: node, b: other, by: 'id' });
    matchedA.add(node);
    matchedB.add(other);
    leftB.delete(node.id);
  }
  const removed = nodesA.filter((n) => !matchedA.has(n));
  const added = nodesB.filter((n) => !matchedB.has(n));

  // A configuration that names another node by id names it by its name here, so a regenerated id is no change.
  const byName = (nodes: FlowNode[]) => {
    const names = new Map(nodes.map((n) => [n.id, n.name]));
    const rename = (value: unknown): unknown => {
      if (typeof value === 'string') return names.has(value) ? `‹node ${names.get(value)}›` : value;
      if (Array.isArray(value)) return value.map(rename);
      if (value && typeof value === 'object')
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rename(v)]));
      return value;
    };
    return rename;
  };
  const renameA = byName(nodesA);
  const renameB = byName(nodesB);

  const nodesChanged: NodeChange[] = [];
  for (const pair of pairs) {
    const { connections: _ca, id: _ia, ...fieldsA } = pair.a;
    const { connections: _cb, id: _ib, ...fieldsB } = pair.b;
    const fields = fieldChanges(renameA(fieldsA), renameB(fieldsB));
    if (fields.length)
      nodesChanged.push({ before: nodeRef(pair.a), after: nodeRef(pair.b), matchedBy: pair.by, fields });
  }
  // keep the after-side order for readability
  const orderB = new Map(nodesB.map((n, i) => [n.id, i]));
  nodesChanged.sort((x, y) => (orderB.get(x.after.id) ?? 0) - (orderB.get(y.after.id) ?? 0));

  // Connections: identify a node by its after-side id when matched, else by a side-prefixed id.
  const keyOfA = new Map<string, string>();
  const nameOfKey = new Map<string, string>();
  for (const n of nodesB) nameOfKey.set(`b:${n.id}`, n.name);
  const pairOfA = new Map(pairs.map((p) => [p.a, p]));
  for (const n of nodesA) {
    const pair = pairOfA.get(n);
    const key = pair ? `b:${pair.b.id}` : `a:${n.id}`;
    keyOfA.set(n.id, key);
    if (!pair) nameOfKey.set(key, n.name);
  }
  const edges = (nodes: FlowNode[], keyOf: (id: string) => string) => {
    const set = new Map<string, ConnectionRef>();
    for (const node of nodes) {
      for (const [outcome, targets] of Object.entries(node.connections ?? {})) {
        if (!Array.isArray(targets)) continue;
        for (const target of targets) {
          if (typeof target !== 'string') continue;
          const from = keyOf(node.id);
          const to = keyOf(target);
          set.set(`${from}\u0000${outcome}\u0000${to}`, {
            outcome,
            from: nameOfKey.get(from) ?? node.id,
            to: nameOfKey.get(to) ?? target,
          });
        }
      }
    }
    return set;
  };
  const edgesA = edges(nodesA, (id) => keyOfA.get(id) ?? `a:${id}`);
  const edgesB = edges(nodesB, (id) => `b:${id}`);

  return {
    fields: fieldChanges(restA, restB),
    nodesAdded: added.map(nodeRef),
    nodesRemoved: removed.map(nodeRef),
    nodesChanged,
    connectionsAdded: [...edgesB].filter(([k]) => !edgesA.has(k)).map(([, v]) => v),
    connectionsRemoved: [...edgesA].filter(([k]) => !edgesB.has(k)).map(([, v]) => v),
  };
}

// ---------------------------------------------------------------------------------------------------------
// env

function envRef(variable: EnvVariable): EnvVariableRef {
  return variable.secure
    ? { name: variable.name, secure: true }
    : { name: variable.name, secure: false, value: variable.value };
}

function diffEnv(a: PackageContent['env'], b: PackageContent['env']): PackageDiff['env'] {
  const { variables: varsA, ...restA } = a;
  const { variables: varsB, ...restB } = b;
  const mapA = new Map(varsA.map((v) => [v.name, v]));
  const mapB = new Map(varsB.map((v) => [v.name, v]));
  const changed: EnvVariableChange[] = [];
  for (const vb of varsB) {
    const va = mapA.get(vb.name);
    if (!va) continue;
    const { value: valueA, ...otherA } = va;
    const { value: valueB, ...otherB } = vb;
    const secret = Boolean(va.secure) || Boolean(vb.secure);
    const valueChanged = valueA !== valueB;
    const fields = fieldChanges(otherA, otherB);
    if (!valueChanged && fields.length === 0) continue;
    const change: EnvVariableChange = {
      name: vb.name,
      secure: { before: Boolean(va.secure), after: Boolean(vb.secure) },
      valueChanged,
      fields,
    };
    if (valueChanged && !secret) {
      change.before = valueA;
      change.after = valueB;
    }
    changed.push(change);
  }
  return {
    fields: fieldChanges(restA, restB),
    added: varsB.filter((v) => !mapA.has(v.name)).map(envRef),
    removed: varsA.filter((v) => !mapB.has(v.name)).map(envRef),
    changed,
  };
}

// ---------------------------------------------------------------------------------------------------------
// text

export interface FormatOptions {
  /** Longest shown value, in characters (default 60). */
  maxValueLength?: number;
}

/**
 * Compact text for a terminal, one change per line:
 * ```
 * ~ app workflow.description: "old" → "new"
 * + node API0002 (api)
 * - node AI0003 (ai)
 * ~ node AI0001: config.prompt: "Summarise…" → "Summarize…"
 * ~ node API0001 → API0001b (renamed): config.url: …
 * + connection API0001 -onSuccess-> AI0001
 * + env BASE_URL = "https://…"
 * + env CRM_TOKEN (secure)
 * ~ env CRM_TOKEN: value changed (secure)
 * ```
 * An empty diff gives `no changes`.
 */
export function formatDiff(diff: PackageDiff, options: FormatOptions = {}): string {
  const max = options.maxValueLength ?? 60;
  const lines: string[] = [];
  const field = (change: FieldChange) => {
    if (change.kind === 'added') return `${change.path}: + ${shorten(change.after, max)}`;
    if (change.kind === 'removed') return `${change.path}: - ${shorten(change.before, max)}`;
    const [before, after] = shortenPair(change.before, change.after, max);
    return `${change.path}: ${before} → ${after}`;
  };

  for (const change of diff.app) lines.push(`~ app ${field(change)}`);
  for (const change of diff.flow.fields) lines.push(`~ flow ${field(change)}`);
  for (const node of diff.flow.nodesAdded) lines.push(`+ node ${node.name} (${node.type})`);
  for (const node of diff.flow.nodesRemoved) lines.push(`- node ${node.name} (${node.type})`);
  for (const node of diff.flow.nodesChanged) {
    const label =
      node.before.name === node.after.name
        ? node.after.name
        : `${node.before.name} → ${node.after.name} (renamed)`;
    const fields = node.fields.filter((f) => f.path !== 'name');
    if (fields.length === 0) lines.push(`~ node ${label}`);
    for (const change of fields) lines.push(`~ node ${label}: ${field(change)}`);
  }
  for (const edge of diff.flow.connectionsAdded)
    lines.push(`+ connection ${edge.from} -${edge.outcome}-> ${edge.to}`);
  for (const edge of diff.flow.connectionsRemoved)
    lines.push(`- connection ${edge.from} -${edge.outcome}-> ${edge.to}`);
  for (const change of diff.env.fields) lines.push(`~ env ${field(change)}`);
  for (const v of diff.env.added)
    lines.push(v.secure ? `+ env ${v.name} (secure)` : `+ env ${v.name} = ${shorten(v.value, max)}`);
  for (const v of diff.env.removed)
    lines.push(v.secure ? `- env ${v.name} (secure)` : `- env ${v.name} = ${shorten(v.value, max)}`);
  for (const v of diff.env.changed) {
    if (v.valueChanged) {
      if (v.before !== undefined || v.after !== undefined) {
        const [before, after] = shortenPair(v.before, v.after, max);
        lines.push(`~ env ${v.name}: ${before} → ${after}`);
      } else lines.push(`~ env ${v.name}: value changed (secure)`);
    }
    if (v.secure.before !== v.secure.after)
      lines.push(`~ env ${v.name}: ${v.secure.after ? 'now secure' : 'no longer secure'}`);
    for (const change of v.fields)
      if (change.path !== 'secure') lines.push(`~ env ${v.name}: ${field(change)}`);
  }
  return lines.length ? lines.join('\n') : 'no changes';
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}

/** JSON text of `value`, cut to `max` characters with `…`. */
export function shorten(value: unknown, max: number): string {
  const text = show(value);
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`;
}

/**
 * Two long strings that differ somewhere in the middle are shown around the first difference, so that
 * the change is visible: `"…the customer's name" → "…the client's name"`.
 */
function shortenPair(before: unknown, after: unknown, max: number): [string, string] {
  const x = show(before);
  const y = show(after);
  if (x.length <= max && y.length <= max) return [x, y];
  if (typeof before !== 'string' || typeof after !== 'string')
    return [shorten(before, max), shorten(after, max)];
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  const from = Math.max(0, start - Math.floor(max / 3));
  const cut = (text: string) => {
    const piece = text.slice(from, from + max - 2);
    return `${from > 0 ? '…' : ''}${piece}${from + max - 2 < text.length ? '…' : ''}`;
  };
  return [cut(x), cut(y)];
}

// ---------------------------------------------------------------------------------------------------------
// order

const naturalOrder = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * Whether `a` is an older version than `b`: by the versions' creation times when both packages carry one, else
 * by their names in natural order (`v2` before `v10`); `undefined` when nothing tells them apart.
 */
export function isOlderVersion(a: PackageContent, b: PackageContent): boolean | undefined {
  const timeA = Date.parse(a.app.version.createdAt ?? '');
  const timeB = Date.parse(b.app.version.createdAt ?? '');
  if (Number.isFinite(timeA) && Number.isFinite(timeB) && timeA !== timeB) return timeA < timeB;
  const byName = naturalOrder.compare(a.app.version.name, b.app.version.name);
  return byName === 0 ? undefined : byName < 0;
}
