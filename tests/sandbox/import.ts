/**
 * Import validation and the atomic apply (platform-contract.md §5). The sandbox is an independent
 * stand-in: this validator is its own, it does not share code with lib/.
 *
 * Order of checks: INVALID_JSON → INCOMPATIBLE_VERSION → SCHEMA_MISMATCH (every offending path) →
 * MISSING_GUARDRAILS; then resolution against the account, which only warns (MODEL_NOT_FOUND,
 * LINKED_WORKFLOW_NOT_FOUND, CUSTOM_SCRIPT_NOT_FOUND, SECURE_VALUE_MISSING). Nothing touches the state
 * until everything has passed; the apply is a single synchronous step.
 */
import { newAuditId, newVersionId } from './ids.ts';
import type { EnvVariable, Json, JsonObject, SandboxState, User, Version, Workflow } from './types.ts';

export const APP_FILE = 'app_definition.json';
export const FLOW_FILE = 'flow_definition.json';
export const ENV_FILE = 'env_variables.json';

export interface JobProblem {
  code: string;
  message: string;
  details?: Json;
}

export interface ValidatedPackage {
  app: JsonObject;
  flow: JsonObject & { nodes: JsonObject[] };
  env: { schemaVersion: string; variables: EnvVariable[] };
  warnings: JobProblem[];
}

export type ValidationResult = { ok: true; value: ValidatedPackage } | { ok: false; error: JobProblem };

const isObj = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const SCHEMA_VERSION_RE = /^\d+(\.\d+)*$/;
const KNOWN_FUNCTION_LANGUAGES = ['javascript', 'python'];

interface Issue {
  file: string;
  path: string;
  message: string;
}

class Checker {
  readonly issues: Issue[] = [];
  constructor(private readonly file: string) {}
  add(path: string, message: string) {
    this.issues.push({ file: this.file, path: path || '(root)', message });
  }
  string(obj: JsonObject, key: string, path: string, opts: { required?: boolean; nonEmpty?: boolean } = {}) {
    const v = obj[key];
    const p = join(path, key);
    if (v === undefined) {
      if (opts.required) this.add(p, 'is required');
      return;
    }
    if (typeof v !== 'string') this.add(p, 'must be a string');
    else if (opts.nonEmpty && v.trim() === '') this.add(p, 'must not be empty');
  }
  number(obj: JsonObject, key: string, path: string, opts: { required?: boolean; nullable?: boolean } = {}) {
    const v = obj[key];
    const p = join(path, key);
    if (v === undefined) {
      if (opts.required) this.add(p, 'is required');
      return;
    }
    if (v === null && opts.nullable) return;
    if (typeof v !== 'number' || !Number.isFinite(v))
      this.add(p, opts.nullable ? 'must be a number or null' : 'must be a number');
  }
  boolean(obj: JsonObject, key: string, path: string, opts: { required?: boolean } = {}) {
    const v = obj[key];
    const p = join(path, key);
    if (v === undefined) {
      if (opts.required) this.add(p, 'is required');
      return;
    }
    if (typeof v !== 'boolean') this.add(p, 'must be true or false');
  }
  object(
    obj: JsonObject,
    key: string,
    path: string,
    opts: { required?: boolean } = {},
  ): JsonObject | undefined {
    const v = obj[key];
    const p = join(path, key);
    if (v === undefined) {
      if (opts.required) this.add(p, 'is required');
      return undefined;
    }
    if (!isObj(v)) {
      this.add(p, 'must be an object');
      return undefined;
    }
    return v;
  }
  array(obj: JsonObject, key: string, path: string, opts: { required?: boolean } = {}): Json[] | undefined {
    const v = obj[key];
    const p = join(path, key);
    if (v === undefined) {
      if (opts.required) this.add(p, 'is required');
      return undefined;
    }
    if (!Array.isArray(v)) {
      this.add(p, 'must be an array');
      return undefined;
    }
    return v;
  }
  schemaVersion(obj: JsonObject, path = '') {
    const v = obj.schemaVersion;
    if (v === undefined) this.add(join(path, 'schemaVersion'), 'is required');
    else if (typeof v !== 'string' || !SCHEMA_VERSION_RE.test(v))
      this.add(join(path, 'schemaVersion'), 'must look like "1.0"');
  }
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

// ------------------------------------------------------------------ parsing

export function parseJsonFile(
  file: string,
  bytes: Uint8Array,
): { ok: true; value: Json } | { ok: false; detail: JsonObject } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, detail: { file, message: 'is not UTF-8 text' } };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (error) {
    return { ok: false, detail: { file, message: (error as Error).message } };
  }
}

function majorOf(version: Json | undefined): number {
  return typeof version === 'string' ? Number(version.split('.')[0]) : Number.NaN;
}

// ------------------------------------------------------------------ schema checks

function checkApp(app: Json, c: Checker) {
  if (!isObj(app)) {
    c.add('', 'must be a JSON object');
    return;
  }
  c.schemaVersion(app);
  const workflow = c.object(app, 'workflow', '');
  if (workflow) {
    c.string(workflow, 'name', 'workflow');
    c.string(workflow, 'description', 'workflow');
  }
  const version = c.object(app, 'version', '');
  if (version) {
    for (const key of ['id', 'name', 'description', 'createdAt']) c.string(version, key, 'version');
  }
  const io = c.object(app, 'io', '');
  if (io) {
    (c.array(io, 'inputs', 'io') ?? []).forEach((input, i) => {
      const p = `io.inputs[${i}]`;
      if (!isObj(input)) return c.add(p, 'must be an object');
      c.string(input, 'name', p, { required: true, nonEmpty: true });
      c.string(input, 'type', p, { required: true, nonEmpty: true });
      c.boolean(input, 'mandatory', p);
      c.array(input, 'enum', p);
    });
    (c.array(io, 'outputs', 'io') ?? []).forEach((output, i) => {
      const p = `io.outputs[${i}]`;
      if (!isObj(output)) return c.add(p, 'must be an object');
      c.string(output, 'name', p, { required: true, nonEmpty: true });
      c.string(output, 'type', p, { required: true, nonEmpty: true });
    });
  }
  const execution = c.object(app, 'execution', '');
  if (execution) {
    c.number(execution, 'syncTimeoutSec', 'execution');
    const async = c.object(execution, 'async', 'execution');
    if (async) {
      c.boolean(async, 'enabled', 'execution.async', { required: true });
      c.number(async, 'timeoutSec', 'execution.async', { nullable: true });
      const push = c.object(async, 'push', 'execution.async');
      if (push) {
        c.string(push, 'callbackUrl', 'execution.async.push');
        c.string(push, 'accessToken', 'execution.async.push');
      }
    }
  }
  const guardrails = c.object(app, 'guardrails', '');
  if (guardrails) {
    for (const side of ['inputScanners', 'outputScanners']) {
      (c.array(guardrails, side, 'guardrails') ?? []).forEach((scanner, i) => {
        const p = `guardrails.${side}[${i}]`;
        if (!isObj(scanner)) return c.add(p, 'must be an object');
        c.string(scanner, 'type', p, { required: true, nonEmpty: true });
      });
    }
  }
}

function checkFlow(flow: Json, c: Checker) {
  if (!isObj(flow)) {
    c.add('', 'must be a JSON object');
    return;
  }
  c.schemaVersion(flow);
  const nodes = c.array(flow, 'nodes', '', { required: true });
  if (!nodes) return;
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  nodes.forEach((node) => {
    if (isObj(node) && typeof node.id === 'string') ids.add(node.id);
  });
  nodes.forEach((node, i) => {
    const p = `nodes[${i}]`;
    if (!isObj(node)) return c.add(p, 'must be an object');
    c.string(node, 'id', p, { required: true, nonEmpty: true });
    if (typeof node.id === 'string') {
      if (seen.has(node.id)) c.add(`${p}.id`, `duplicates the id of nodes[${seen.get(node.id)}]`);
      else seen.set(node.id, i);
    }
    c.string(node, 'name', p, { required: true, nonEmpty: true });
    c.string(node, 'type', p, { required: true, nonEmpty: true });
    const position = c.object(node, 'position', p);
    if (position) {
      c.number(position, 'x', `${p}.position`, { required: true });
      c.number(position, 'y', `${p}.position`, { required: true });
    }
    const config = c.object(node, 'config', p);
    const connections = c.object(node, 'connections', p);
    if (connections) {
      for (const key of ['onSuccess', 'onFailure']) {
        (c.array(connections, key, `${p}.connections`) ?? []).forEach((target, j) => {
          const tp = `${p}.connections.${key}[${j}]`;
          if (typeof target !== 'string') c.add(tp, 'must be a node id');
          else if (!ids.has(target)) c.add(tp, `points to a node that does not exist ("${target}")`);
        });
      }
    }
    if (!config) return;
    const cp = `${p}.config`;
    switch (node.type) {
      case 'api': {
        c.string(config, 'url', cp, { required: true });
        c.string(config, 'method', cp, { required: true, nonEmpty: true });
        (c.array(config, 'headers', cp) ?? []).forEach((header, j) => {
          const hp = `${cp}.headers[${j}]`;
          if (!isObj(header)) return c.add(hp, 'must be an object');
          c.string(header, 'key', hp, { required: true });
          c.string(header, 'value', hp, { required: true });
        });
        const body = c.object(config, 'body', cp);
        if (body) {
          c.string(body, 'contentType', `${cp}.body`);
          c.string(body, 'content', `${cp}.body`, { required: true });
        }
        break;
      }
      case 'function':
        if (config.language === undefined) c.add(`${cp}.language`, 'is required');
        else if (typeof config.language !== 'string' || !KNOWN_FUNCTION_LANGUAGES.includes(config.language)) {
          c.add(`${cp}.language`, 'must be "javascript" or "python"');
        }
        c.string(config, 'code', cp, { required: true });
        break;
      case 'ai': {
        if (config.model !== undefined && config.model !== null) {
          if (!isObj(config.model)) c.add(`${cp}.model`, 'must be an object or null');
          else {
            c.string(config.model, 'name', `${cp}.model`, { required: true });
            c.string(config.model, 'provider', `${cp}.model`);
          }
        }
        c.string(config, 'systemPrompt', cp);
        c.string(config, 'prompt', cp);
        c.object(config, 'hyperparameters', cp);
        c.number(config, 'timeoutSec', cp);
        break;
      }
      default:
        break;
    }
  });
}

function checkEnv(env: Json, c: Checker) {
  let variables: Json[] | undefined;
  let base = '';
  if (Array.isArray(env)) variables = env;
  else if (isObj(env)) {
    c.schemaVersion(env);
    variables = c.array(env, 'variables', '', { required: true });
    base = 'variables';
  } else {
    c.add('', 'must be a JSON object or an array of variables');
    return;
  }
  const names = new Map<string, number>();
  (variables ?? []).forEach((variable, i) => {
    const p = `${base}[${i}]`;
    if (!isObj(variable)) return c.add(p, 'must be an object');
    c.string(variable, 'name', p, { required: true, nonEmpty: true });
    c.string(variable, 'value', p, { required: true });
    c.boolean(variable, 'secure', p);
    c.string(variable, 'notes', p);
    if (typeof variable.name === 'string') {
      if (names.has(variable.name)) c.add(`${p}.name`, `duplicates variable "${variable.name}"`);
      else names.set(variable.name, i);
    }
  });
}

const scannerKey = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '');

// ------------------------------------------------------------------ validate + resolve

export interface RawFiles {
  app: Uint8Array | null;
  flow: Uint8Array;
  env: Uint8Array | null;
}

export function validatePackage(files: RawFiles, state: SandboxState): ValidationResult {
  const parsed: { app?: Json; flow?: Json; env?: Json } = {};
  const jsonErrors: JsonObject[] = [];
  const inputs: Array<[keyof typeof parsed, string, Uint8Array | null]> = [
    ['app', APP_FILE, files.app],
    ['flow', FLOW_FILE, files.flow],
    ['env', ENV_FILE, files.env],
  ];
  for (const [key, name, bytes] of inputs) {
    if (!bytes) continue;
    const result = parseJsonFile(name, bytes);
    if (result.ok) parsed[key] = result.value;
    else jsonErrors.push(result.detail);
  }
  if (jsonErrors.length) {
    return {
      ok: false,
      error: {
        code: 'INVALID_JSON',
        message: 'A file is not valid JSON (corrupt file).',
        details: jsonErrors,
      },
    };
  }

  const incompatible: JsonObject[] = [];
  for (const [key, name] of inputs) {
    const value = parsed[key];
    if (isObj(value) && majorOf(value.schemaVersion) > 1)
      incompatible.push({ file: name, schemaVersion: value.schemaVersion ?? null });
  }
  if (incompatible.length) {
    return {
      ok: false,
      error: {
        code: 'INCOMPATIBLE_VERSION',
        message: 'The package was made by a newer platform version (schemaVersion major above 1).',
        details: incompatible,
      },
    };
  }

  const issues: Issue[] = [];
  if (parsed.app !== undefined) {
    const c = new Checker(APP_FILE);
    checkApp(parsed.app, c);
    issues.push(...c.issues);
  }
  const fc = new Checker(FLOW_FILE);
  checkFlow(parsed.flow ?? null, fc);
  issues.push(...fc.issues);
  if (parsed.env !== undefined) {
    const c = new Checker(ENV_FILE);
    checkEnv(parsed.env, c);
    issues.push(...c.issues);
  }
  if (issues.length) {
    return {
      ok: false,
      error: {
        code: 'SCHEMA_MISMATCH',
        message: `The package does not match the expected format (${issues.length} problem${issues.length === 1 ? '' : 's'}).`,
        details: issues.map((i) => ({ ...i })),
      },
    };
  }

  // Normalise.
  const app: JsonObject = isObj(parsed.app) ? structuredClone(parsed.app) : { schemaVersion: '1.0' };
  const flow = structuredClone(parsed.flow) as JsonObject & { nodes: JsonObject[] };
  for (const node of flow.nodes) {
    if (!isObj(node.config)) node.config = {};
    const conn = isObj(node.connections) ? node.connections : {};
    node.connections = {
      ...conn,
      onSuccess: Array.isArray(conn.onSuccess) ? conn.onSuccess : [],
      onFailure: Array.isArray(conn.onFailure) ? conn.onFailure : [],
    };
  }
  let env: ValidatedPackage['env'];
  const rawEnv = parsed.env;
  if (Array.isArray(rawEnv)) env = { schemaVersion: '1.0', variables: rawEnv as EnvVariable[] };
  else if (isObj(rawEnv)) env = structuredClone(rawEnv) as ValidatedPackage['env'];
  else env = { schemaVersion: '1.0', variables: [] };
  env.variables = env.variables.map((v) => ({
    ...v,
    secure: v.secure === true,
    notes: typeof v.notes === 'string' ? v.notes : '',
  }));

  // Guardrails must be deployed in this account.
  const deployed = new Set(state.guardrails.deployed.map(scannerKey));
  const missing: JsonObject[] = [];
  const guardrails = isObj(app.guardrails) ? app.guardrails : {};
  for (const side of ['inputScanners', 'outputScanners']) {
    const list = Array.isArray(guardrails[side]) ? (guardrails[side] as JsonObject[]) : [];
    list.forEach((scanner, i) => {
      if (!deployed.has(scannerKey(String(scanner.type))))
        missing.push({ scanner: scanner.type ?? null, path: `guardrails.${side}[${i}]` });
    });
  }
  if (missing.length) {
    const names = [...new Set(missing.map((m) => String(m.scanner)))];
    return {
      ok: false,
      error: {
        code: 'MISSING_GUARDRAILS',
        message: `Guardrails not deployed in this account: ${names.join(', ')}.`,
        details: missing,
      },
    };
  }

  // Resolve against the account (warnings only).
  const warnings: JobProblem[] = [];
  const models = new Map(state.models.map((m) => [m.name.toLowerCase(), m]));
  for (const node of flow.nodes) {
    const config = node.config as JsonObject;
    if (node.type === 'ai') {
      const model = config.model;
      if (isObj(model) && typeof model.name === 'string' && !models.has(model.name.toLowerCase())) {
        warnings.push({
          code: 'MODEL_NOT_FOUND',
          message: `Model "${model.name}" is not available in this account; node ${String(node.name)} keeps its prompts with an empty model.`,
          details: {
            nodeId: node.id ?? null,
            nodeName: node.name ?? null,
            model: model.name,
            provider: model.provider ?? null,
          },
        });
        config.model = null;
      }
      const calling = config.workflowCalling;
      if (isObj(calling) && Array.isArray(calling.workflows)) {
        for (const link of calling.workflows) {
          if (!isObj(link)) continue;
          const target = state.workflows.find((w) => w.name === link.name);
          if (target) link.id = target.id;
          else {
            warnings.push({
              code: 'LINKED_WORKFLOW_NOT_FOUND',
              message: `Linked workflow "${String(link.name)}" (node ${String(node.name)}) does not exist in this account.`,
              details: {
                nodeId: node.id ?? null,
                nodeName: node.name ?? null,
                workflowName: link.name ?? null,
              },
            });
            link.id = null;
          }
        }
      }
    }
    if (node.type === 'function' && isObj(config.customFunction)) {
      const { script, function: fn } = config.customFunction;
      const found = state.customScripts.find((s) => s.name === script);
      if (!found || !found.functions.includes(String(fn))) {
        warnings.push({
          code: 'CUSTOM_SCRIPT_NOT_FOUND',
          message: `Custom script "${String(script)}${fn ? `.${String(fn)}` : ''}" (node ${String(node.name)}) is not deployed in this account.`,
          details: {
            nodeId: node.id ?? null,
            nodeName: node.name ?? null,
            script: script ?? null,
            function: fn ?? null,
          },
        });
      }
    }
  }
  return { ok: true, value: { app, flow, env, warnings } };
}

function secureWarnings(variables: EnvVariable[]): JobProblem[] {
  return variables
    .filter((v) => v.secure && v.value === '')
    .map((v) => ({
      code: 'SECURE_VALUE_MISSING',
      message: `Secure variable ${v.name} was imported without a value; set it under Manage environment variables.`,
      details: { name: v.name },
    }));
}

// ------------------------------------------------------------------ apply (atomic)

function stripped(app: JsonObject): JsonObject {
  const copy = structuredClone(app);
  return copy;
}

export function applyImportNew(
  state: SandboxState,
  pkg: ValidatedPackage,
  opts: { workflowId: string; workflowName: string; user: User; now: string },
): { workflow: Workflow; warnings: JobProblem[] } {
  const appWorkflow = isObj(pkg.app.workflow) ? pkg.app.workflow : {};
  const appVersion = isObj(pkg.app.version) ? pkg.app.version : {};
  const version: Version = {
    id: newVersionId(),
    name: typeof appVersion.name === 'string' && appVersion.name.trim() ? appVersion.name : 'Version 1',
    description: typeof appVersion.description === 'string' ? appVersion.description : '',
    state: 'in-development',
    createdAt: opts.now,
    updatedAt: opts.now,
    app: stripped(pkg.app),
    flow: pkg.flow,
    env: pkg.env,
  };
  const workflow: Workflow = {
    id: opts.workflowId,
    name: opts.workflowName,
    description: typeof appWorkflow.description === 'string' ? appWorkflow.description : '',
    createdAt: opts.now,
    updatedAt: opts.now,
    createdBy: opts.user.id,
    deployedVersionId: null,
    apiKeys: [],
    sharing: [{ userId: opts.user.id, email: opts.user.email, role: 'tool admin' }],
    auditLogs: [
      {
        id: newAuditId(),
        event: 'Workflow created',
        category: 'Workflow Management',
        user: opts.user.email,
        at: opts.now,
        description: `Workflow "${opts.workflowName}" created by import`,
        metadata: { 'Agent ID': opts.workflowId, versionId: version.id, source: 'import' },
      },
    ],
    versions: [version],
  };
  const warnings = [...pkg.warnings, ...secureWarnings(pkg.env.variables)];
  state.workflows.push(workflow);
  return { workflow, warnings };
}

export function applyImportVersion(
  workflow: Workflow,
  pkg: ValidatedPackage,
  opts: { user: User; now: string; envConflicts: Record<string, string> },
): { version: Version; warnings: JobProblem[]; envConflicts: JsonObject[] } {
  const current = workflow.versions.find((v) => v.state === 'in-development');
  const base = current ?? workflow.versions.find((v) => v.id === workflow.deployedVersionId);
  const existing = new Map((base?.env.variables ?? []).map((v) => [v.name, v]));
  const conflicts: JsonObject[] = [];
  const variables: EnvVariable[] = pkg.env.variables.map((incoming) => {
    const old = existing.get(incoming.name);
    if (!old) return incoming;
    existing.delete(incoming.name);
    if (old.value === incoming.value && old.secure === incoming.secure) return incoming;
    const resolution = opts.envConflicts[incoming.name] === 'overwrite' ? 'overwrite' : 'keep';
    conflicts.push({ name: incoming.name, resolution });
    return resolution === 'overwrite' ? incoming : { ...old };
  });
  // Variables only the existing version has are kept.
  for (const old of existing.values()) variables.push({ ...old });

  const appVersion = isObj(pkg.app.version) ? pkg.app.version : {};
  const name =
    current?.name ??
    (typeof appVersion.name === 'string' && appVersion.name
      ? appVersion.name
      : (base?.name ?? 'Imported version'));
  const version: Version = {
    id: newVersionId(),
    name,
    description: typeof appVersion.description === 'string' ? appVersion.description : '',
    state: 'in-development',
    createdAt: opts.now,
    updatedAt: opts.now,
    app: stripped(pkg.app),
    flow: pkg.flow,
    env: { ...pkg.env, variables },
  };
  const warnings = [...pkg.warnings, ...secureWarnings(variables)];
  // Apply in one go.
  if (current) {
    current.name = `${current.name} (before import ${opts.now})`;
    current.state = 'saved';
    current.updatedAt = opts.now;
  }
  workflow.versions.push(version);
  workflow.updatedAt = opts.now;
  workflow.auditLogs.push({
    id: newAuditId(),
    event: 'Version created',
    category: 'Workflow Management',
    user: opts.user.email,
    at: opts.now,
    description: `Version "${name}" created by import`,
    metadata: { 'Agent ID': workflow.id, versionId: version.id, source: 'import' },
  });
  return { version, warnings, envConflicts: conflicts };
}
