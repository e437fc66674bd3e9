/**
 * The package format (platform-contract.md §6, §7) as zod schemas.
 *
 * Strict about what other parts rely on (names, ids, node wiring, the config shapes of api/function/ai
 * nodes), loose everywhere else: every object keeps unknown keys, because a real export may carry fields the
 * contract does not name and a round trip must not lose them.
 */
import { z } from 'zod';

export const PACKAGE_FILES = {
  app: 'app_definition.json',
  flow: 'flow_definition.json',
  env: 'env_variables.json',
} as const;

/** Older documentation calls the flow file `callflow.json`; readers accept it as the same file. */
export const FLOW_FILE_ALIASES = ['callflow.json'] as const;

/** The major version this build understands; same major is accepted, a newer one refused. */
export const SUPPORTED_SCHEMA_MAJOR = 1;
export const CURRENT_SCHEMA_VERSION = '1.0';

export const KNOWN_NODE_TYPES = [
  'start',
  'end',
  'api',
  'ai',
  'condition',
  'function',
  'loop',
  'human',
  'integration',
  'docSearch',
  'delay',
] as const;
export type KnownNodeType = (typeof KNOWN_NODE_TYPES)[number];

const schemaVersion = z
  .string()
  .regex(/^\d+(\.\d+)*$/, 'must look like "1.0"')
  // A malformed version is reported by the pattern above only, not also as "newer".
  .refine((value) => !(schemaMajor(value) > SUPPORTED_SCHEMA_MAJOR), {
    message: `is newer than this version of AFP Porter understands (major ${SUPPORTED_SCHEMA_MAJOR})`,
  });

/** Parses "1.4" → 1; anything unparsable → NaN. */
export function schemaMajor(version: unknown): number {
  return typeof version === 'string' ? Number(version.split('.')[0]) : Number.NaN;
}

/** A free text that exports may leave out or write as `null`; read as "". */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? '');

/**
 * Cross-checks (duplicate ids, dangling connections, duplicate variables) run even when other parts of the file
 * are wrong, so that every problem is reported at once. Their input is then unvalidated: they read it defensively.
 */
const ALWAYS = { when: () => true } as const;
const asRecord = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

/** What a value is, as zod's own messages name it ("received array"). */
const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

// ---------- app_definition.json ----------

export const ioInputSchema = z.looseObject({
  name: z.string().min(1),
  type: z.string().min(1),
  mandatory: z.boolean().nullish(),
  default: z.unknown().optional(),
  enum: z.array(z.unknown()).optional(),
  schema: z.unknown().optional(),
});

export const ioOutputSchema = z.looseObject({ name: z.string().min(1), type: z.string().min(1) });

export const scannerSchema = z.looseObject({ type: z.string().min(1), settings: z.unknown().optional() });

export const appDefinitionSchema = z.looseObject({
  schemaVersion,
  workflow: z.looseObject({ name: z.string().min(1), description: optionalText }),
  version: z.looseObject({
    id: z.string().optional(),
    name: z.string(),
    description: z.string().nullish(),
    createdAt: z.string().optional(),
  }),
  io: z
    .looseObject({
      inputs: z.array(ioInputSchema).default([]),
      outputs: z.array(ioOutputSchema).default([]),
    })
    .default({ inputs: [], outputs: [] }),
  execution: z
    .looseObject({
      syncTimeoutSec: z.number().optional(),
      async: z
        .looseObject({
          enabled: z.boolean(),
          timeoutSec: z.number().nullable().optional(),
          push: z
            .looseObject({
              callbackUrl: z.string().nullish(),
              // Removed from every package anyway; `null` is read as "none".
              accessToken: z.preprocess((token) => token ?? undefined, z.string().optional()),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
  guardrails: z
    .looseObject({
      inputScanners: z.array(scannerSchema).default([]),
      outputScanners: z.array(scannerSchema).default([]),
    })
    .optional(),
});
export type AppDefinition = z.infer<typeof appDefinitionSchema>;

// ---------- flow_definition.json ----------

// Header values and bodies are strings in the product's exports; numbers, booleans and JSON bodies stored as
// objects are accepted too rather than refusing a package over them (redaction walks them all the same).
const headerSchema = z.looseObject({
  key: z.string(),
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
});

export const apiConfigSchema = z.looseObject({
  url: z.string(),
  method: z.string(),
  headers: z.array(headerSchema).optional(),
  body: z
    .looseObject({
      contentType: z.string().optional(),
      content: z.union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())]),
    })
    .optional(),
});

export const functionConfigSchema = z.looseObject({
  language: z.enum(['javascript', 'python']),
  code: z.string(),
});

export const aiConfigSchema = z.looseObject({
  model: z.looseObject({ name: z.string(), provider: z.string().optional() }).nullable().optional(),
  systemPrompt: z.string().optional(),
  prompt: z.string().optional(),
  hyperparameters: z.record(z.string(), z.unknown()).optional(),
  timeoutSec: z.number().optional(),
});

const configByType: Partial<Record<string, z.ZodType>> = {
  api: apiConfigSchema,
  function: functionConfigSchema,
  ai: aiConfigSchema,
};

/**
 * A node's config: any JSON object, checked as one without being copied (z.record would copy every config of
 * the flow, a third of the validation's time on a large flow); its fields are checked by type below.
 */
const configObject = z.custom<Record<string, unknown>>((value) => asRecord(value) !== null, {
  error: (issue) => `Invalid input: expected object, received ${kindOf(issue.input)}`,
});

export const nodeSchema = z
  .looseObject({
    id: z.string().min(1),
    name: z.string().min(1),
    type: z.string().min(1),
    position: z.looseObject({ x: z.number(), y: z.number() }).optional(),
    config: configObject.default(() => ({})),
    connections: z
      .looseObject({
        onSuccess: z.array(z.string()).default([]),
        onFailure: z.array(z.string()).default([]),
      })
      .default({ onSuccess: [], onFailure: [] }),
  })
  .superRefine((input, ctx) => {
    const node = asRecord(input);
    const schema = typeof node?.type === 'string' ? configByType[node.type] : undefined;
    if (!schema || !asRecord(node!.config)) return;
    const result = schema.safeParse(node!.config);
    if (result.success) return;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: 'custom', message: issue.message, path: ['config', ...issue.path] });
    }
  }, ALWAYS);
export type FlowNode = z.infer<typeof nodeSchema>;

export const flowDefinitionSchema = z
  .looseObject({ schemaVersion, nodes: z.array(nodeSchema) })
  .superRefine((input, ctx) => {
    const nodes = asRecord(input)?.nodes;
    if (!Array.isArray(nodes)) return;
    const ids = new Set<string>();
    nodes.forEach((node, index) => {
      const id = asRecord(node)?.id;
      if (typeof id !== 'string') return;
      if (ids.has(id)) {
        ctx.addIssue({ code: 'custom', message: `duplicate node id "${id}"`, path: ['nodes', index, 'id'] });
      }
      ids.add(id);
    });
    nodes.forEach((node, index) => {
      const connections = asRecord(asRecord(node)?.connections);
      for (const outcome of ['onSuccess', 'onFailure'] as const) {
        const targets = connections?.[outcome];
        if (!Array.isArray(targets)) continue;
        targets.forEach((target, targetIndex) => {
          if (typeof target === 'string' && !ids.has(target)) {
            ctx.addIssue({
              code: 'custom',
              message: `connects to unknown node "${target}"`,
              path: ['nodes', index, 'connections', outcome, targetIndex],
            });
          }
        });
      }
    });
  }, ALWAYS);
export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;

// ---------- env_variables.json ----------

export const envVariableSchema = z.looseObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a valid variable name'),
  value: optionalText,
  secure: z.boolean().default(false),
  notes: optionalText,
});
export type EnvVariable = z.infer<typeof envVariableSchema>;

const envObjectSchema = z.looseObject({
  schemaVersion: schemaVersion.optional().default(CURRENT_SCHEMA_VERSION),
  variables: z.array(envVariableSchema),
});

/**
 * Accepts the documented object and the older bare array of variables (read as `{variables: [...]}`, so that its
 * problems are reported one by one rather than as "matches neither form").
 */
export const envVariablesSchema = z
  .preprocess(
    (input) => (Array.isArray(input) ? { schemaVersion: CURRENT_SCHEMA_VERSION, variables: input } : input),
    envObjectSchema,
  )
  .superRefine((input, ctx) => {
    const variables = asRecord(input)?.variables;
    if (!Array.isArray(variables)) return;
    const seen = new Set<string>();
    variables.forEach((variable, index) => {
      const name = asRecord(variable)?.name;
      if (typeof name !== 'string') return;
      if (seen.has(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `duplicate variable "${name}"`,
          path: ['variables', index, 'name'],
        });
      }
      seen.add(name);
    });
  }, ALWAYS);
export type EnvVariables = z.infer<typeof envVariablesSchema>;

// ---------- the raw version record (what the platform holds, secrets included) ----------

export const versionStateSchema = z.enum(['in-development', 'deployed', 'saved']);
export type VersionState = z.infer<typeof versionStateSchema>;

export const rawVersionRecordSchema = z.looseObject({
  workflow: z.looseObject({
    id: z.string().min(1),
    name: z.string().min(1),
    description: optionalText,
    status: z.string().optional(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
    deployedVersionId: z.string().nullable().optional(),
    endpoint: z.unknown().optional(),
    apiKeys: z.array(z.unknown()).optional(),
    sharing: z.array(z.unknown()).optional(),
    auditLogs: z.array(z.unknown()).optional(),
  }),
  version: z.looseObject({
    id: z.string().min(1),
    name: z.string(),
    description: z.string().nullish(),
    state: z.string().optional(),
    createdAt: z.string().optional(),
    updatedAt: z.string().optional(),
  }),
  app: appDefinitionSchema,
  flow: flowDefinitionSchema,
  env: envVariablesSchema,
});
export type RawVersionRecord = z.infer<typeof rawVersionRecordSchema>;

/** The three files of a package, parsed. */
export interface PackageContent {
  app: AppDefinition;
  flow: FlowDefinition;
  env: EnvVariables;
}

/** Turns zod issues into `a.b[2].c: message` lines, every one of them. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out ? `.${String(segment)}` : String(segment);
  }
  return out || '(root)';
}
