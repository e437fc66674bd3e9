/**
 * What a package must never contain (platform-contract.md §7), checked on the files as they are: the value of
 * a secure variable, the async push access token, and the workflow's API keys, sharing, audit logs and
 * endpoint. The platform's own export never holds them and AFP Porter never writes them, so a package that
 * does was made or edited by something else and leaks what its owner meant to keep.
 *
 * `porter scan` reports each as a finding (rule `secure-value`, `push-access-token`, `workflow-api-keys`,
 * `sharing`, `audit-logs`, `workflow-endpoint`), `porter validate` and `porter import` as a problem.
 * The same checks apply to a raw version record (`{workflow, version, app, flow, env}`) for `scan`.
 */
import { PACKAGE_FILES } from './schemas.ts';
import { findSecrets } from '../redaction/scanner.ts';

export interface ForbiddenItem {
  /** JSON path inside the file (`variables[3].value`). */
  path: string;
  rule: string;
  /** For people: what is there that must not be. Never quotes the value. */
  message: string;
  /** What to fingerprint (the secret itself, or the serialized structure). */
  value: string;
}

const WORKFLOW_FIELDS = [
  ['apiKeys', 'workflow-api-keys', "the workflow's API keys"],
  ['sharing', 'sharing', "the workflow's sharing (who has access)"],
  ['auditLogs', 'audit-logs', "the workflow's audit logs"],
  ['endpoint', 'workflow-endpoint', "the workflow's endpoint"],
] as const;

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Something that is there and holds anything (an empty list, object or string carries nothing). */
function holdsSomething(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

function join(prefix: string, path: string): string {
  return prefix ? `${prefix}.${path}` : path;
}

function serialized(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

/** The workflow's API keys, sharing, audit logs, endpoint under `workflow` (and, to be safe, at the root). */
function forbiddenWorkflowFields(holder: unknown, prefix: string): ForbiddenItem[] {
  const out: ForbiddenItem[] = [];
  const root = record(holder);
  if (!root) return out;
  for (const [where, object] of [
    [join(prefix, 'workflow'), record(root.workflow)],
    [prefix, root],
  ] as const) {
    if (!object) continue;
    for (const [field, rule, what] of WORKFLOW_FIELDS) {
      if (!holdsSomething(object[field])) continue;
      out.push({
        path: join(where, field),
        rule,
        message: `holds ${what}; a package must never contain them`,
        value: serialized(object[field]),
      });
    }
  }
  return out;
}

/** In app_definition.json (or a record's `app`): the async push access token and workflow fields. */
export function forbiddenInApp(app: unknown, prefix = ''): ForbiddenItem[] {
  const out = forbiddenWorkflowFields(app, prefix);
  const push = record(record(record(record(app)?.execution)?.async)?.push);
  const token = push?.accessToken;
  if (holdsSomething(token)) {
    out.push({
      path: join(prefix, 'execution.async.push.accessToken'),
      rule: 'push-access-token',
      message: 'holds the async push access token; a package must never contain it',
      value: serialized(token),
    });
  }
  return out;
}

/** In env_variables.json (or a record's `env`): secure variables that carry a value. */
export function forbiddenInEnv(env: unknown, prefix = ''): ForbiddenItem[] {
  const out: ForbiddenItem[] = [];
  const bare = Array.isArray(env);
  const variables = bare ? env : record(env)?.variables;
  if (!Array.isArray(variables)) return out;
  variables.forEach((variable: unknown, index) => {
    const entry = record(variable);
    if (!entry || entry.secure !== true || !holdsSomething(entry.value)) return;
    // A name that is itself a secret (a key pasted as the name) is not repeated.
    const name =
      typeof entry.name === 'string' && entry.name && findSecrets(entry.name).length === 0
        ? `${entry.name} `
        : '';
    out.push({
      path: join(prefix, `${bare ? '' : 'variables'}[${index}].value`),
      rule: 'secure-value',
      message: `secure variable ${name}carries a value; secure values must travel empty`,
      value: serialized(entry.value),
    });
  });
  return out;
}

function baseName(name: string): string {
  return name.split(/[/\\!]/).pop() ?? name;
}

/**
 * What a JSON file must not hold, judged by its name (`app_definition.json`, `env_variables.json`, in a zip
 * or on disk) or, for any other name, by its shape (a raw version record holds `app`, `flow` and `env`).
 * A raw version record holds secrets by design; scanning one says what a package made from it must not keep.
 */
export function forbiddenInJsonFile(name: string, value: unknown): ForbiddenItem[] {
  const base = baseName(name).toLowerCase();
  if (base === PACKAGE_FILES.app) return forbiddenInApp(value);
  if (base === PACKAGE_FILES.env) return forbiddenInEnv(value);
  const root = record(value);
  if (root && record(root.app) && root.flow !== undefined && root.env !== undefined) {
    return [
      ...forbiddenWorkflowFields({ workflow: root.workflow }, ''),
      ...forbiddenInApp(root.app, 'app'),
      ...forbiddenInEnv(root.env, 'env'),
    ];
  }
  return [];
}

/** The same, as package problems (`<file>: <path>: <message>`) for validate and import. */
export function forbiddenProblems(content: { app: unknown; env: unknown }): {
  file: string;
  path: string;
  message: string;
}[] {
  return [
    ...forbiddenInApp(content.app).map((item) => ({
      file: PACKAGE_FILES.app,
      path: item.path,
      message: item.message,
    })),
    ...forbiddenInEnv(content.env).map((item) => ({
      file: PACKAGE_FILES.env,
      path: item.path,
      message: item.message,
    })),
  ];
}
