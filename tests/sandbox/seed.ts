/**
 * The seeded "Sandbox Bank" account (platform-contract.md §2). Everything here is deterministic:
 * IDs derive from fixed labels and timestamps are constants, so tests can name things.
 */
import { stableHex, stableUuid } from './ids.ts';
import { generateClaimsFlow, CLAIMS_NODE_COUNT } from './generate.ts';
import type {
  ApiKey,
  AuditLog,
  EnvVariable,
  Json,
  JsonObject,
  SandboxState,
  SharingEntry,
  ToolRole,
  Version,
  VersionState,
  Workflow,
} from './types.ts';

export const SANDBOX_PASSWORD = 'sandbox-pass';
export const MANAGEMENT_API_KEY = 'kg-5a9d3c1e-0b7f-4e21-9c55-7d2f8a1b3c4d-sandbox';
export const ACCOUNT = { id: `acc-${stableUuid('account')}`, name: 'Sandbox Bank' } as const;

export const USERS = {
  owner: {
    id: `u-${stableUuid('user:owner')}`,
    email: 'owner@sandbox.test',
    name: 'Olivia Owner',
    accountRole: 'Master Admin',
    toolRole: 'tool admin',
  },
  manager: {
    id: `u-${stableUuid('user:manager')}`,
    email: 'manager@sandbox.test',
    name: 'Manuel Manager',
    accountRole: 'Admin',
    toolRole: 'tool manager',
  },
  editor: {
    id: `u-${stableUuid('user:editor')}`,
    email: 'editor@sandbox.test',
    name: 'Edith Editor',
    accountRole: 'Member',
    toolRole: 'tool editor',
  },
  viewer: {
    id: `u-${stableUuid('user:viewer')}`,
    email: 'viewer@sandbox.test',
    name: 'Victor Viewer',
    accountRole: 'Viewer',
    toolRole: 'tool viewer',
  },
} as const;
export type SeedUserKey = keyof typeof USERS;

export const MODELS = [
  { id: `cm-${stableUuid('model:gpt-4o')}`, name: 'gpt-4o', provider: 'OpenAI' },
  { id: `cm-${stableUuid('model:claude-sonnet-4')}`, name: 'claude-sonnet-4', provider: 'Anthropic' },
];
export const DEPLOYED_GUARDRAILS = [
  'Regex',
  'Anonymize',
  'Prompt Injection',
  'Toxicity',
  'Deanonymize',
  'Relevance',
];
export const UNDEPLOYED_GUARDRAILS = ['Ban Topics', 'Bias Detection'];
export const CUSTOM_SCRIPTS = [{ name: 'kyc-utils', functions: ['scoreApplicant', 'normalizeName'] }];

const wfId = (key: string) => `a-${stableUuid(`workflow:${key}`)}`;
const cfId = (key: string) => `cf-${stableUuid(`version:${key}`)}`;

export const WORKFLOWS = {
  banking: {
    id: wfId('banking'),
    name: 'Banking Assistant',
    versions: { v1: cfId('banking:v1'), v2: cfId('banking:v2'), v3: cfId('banking:v3') },
  },
  invoice: { id: wfId('invoice'), name: 'Invoice Triage', versions: { v1: cfId('invoice:v1') } },
  onboarding: {
    id: wfId('onboarding'),
    name: 'Onboarding / KYC: "Tier-1" ✓ Ünïcode',
    versions: { v1: cfId('onboarding:v1'), v2: cfId('onboarding:v2') },
  },
  claims: { id: wfId('claims'), name: 'Claims Flow 2000', versions: { v1: cfId('claims:v1') } },
  empty: { id: wfId('empty'), name: 'Empty Start', versions: { v1: cfId('empty:v1') } },
} as const;

/** Convenience: the deployed / in-development version IDs of each seeded workflow. */
export const SEEDED_VERSIONS = {
  banking: {
    deployed: WORKFLOWS.banking.versions.v2,
    inDevelopment: WORKFLOWS.banking.versions.v3,
    saved: [WORKFLOWS.banking.versions.v1],
  },
  invoice: { deployed: null, inDevelopment: WORKFLOWS.invoice.versions.v1, saved: [] },
  onboarding: {
    deployed: WORKFLOWS.onboarding.versions.v1,
    inDevelopment: WORKFLOWS.onboarding.versions.v2,
    saved: [],
  },
  claims: { deployed: WORKFLOWS.claims.versions.v1, inDevelopment: null, saved: [] },
  empty: { deployed: null, inDevelopment: WORKFLOWS.empty.versions.v1, saved: [] },
} as const;

// ---------------------------------------------------------------- Banking Assistant secrets

const BANKING_API_KEYS: ApiKey[] = [
  {
    id: `ak-${stableUuid('banking:apikey:prod')}`,
    name: 'prod',
    key: `kg-${stableUuid('banking:key:prod:a')}-${stableUuid('banking:key:prod:b')}`,
    createdAt: '2025-03-10T08:30:00.000Z',
    lastUsedAt: '2025-06-02T17:45:12.000Z',
  },
  {
    id: `ak-${stableUuid('banking:apikey:staging')}`,
    name: 'staging',
    key: `kg-${stableUuid('banking:key:staging:a')}-${stableUuid('banking:key:staging:b')}`,
    createdAt: '2025-03-12T11:05:00.000Z',
    lastUsedAt: null,
  },
];
const CRM_TOKEN_VALUE = 'crm_live_7Qm2xK9vR4tZ8pW1nB6cY3hJ5dF0sL2aTe';
const PAYMENTS_SIGNING_KEY_VALUE = `psk_live_${stableHex('payments-signing', 40)}`;
const PUSH_ACCESS_TOKEN = 'pat_9XbQ2mLr7VtK4sNz1HcP8wYd3GfJ6eA5uR0oCi';
const b64url = (value: string) => Buffer.from(value).toString('base64url');
const INLINE_BEARER_TOKEN = [
  b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' })),
  b64url(
    JSON.stringify({
      sub: 'svc-fraud-scoring',
      iss: 'https://auth.sandboxbank.example',
      aud: 'fraud-api',
      iat: 1735689600,
      exp: 1893456000,
    }),
  ),
  Buffer.from(stableHex('jwt-signature', 64), 'hex').toString('base64url'),
].join('.');
const HARDCODED_FUNCTION_KEY = `sk_live_51Nx${Buffer.from(
  stableHex('stripe-key:a', 64) + stableHex('stripe-key:b', 64),
  'hex',
)
  .toString('base64url')
  .replace(/[-_]/g, 'Q')
  .slice(0, 87)}`;
const BANKING_ENDPOINT_PATH = `/api/v1/process/${WORKFLOWS.banking.id}`;

const SHARING_FOR_ALL: SharingEntry[] = (Object.keys(USERS) as SeedUserKey[]).map((key) => ({
  userId: USERS[key].id,
  email: USERS[key].email,
  role: USERS[key].toolRole as ToolRole,
}));

const BANKING_AUDIT_LOG_IDS = Array.from({ length: 25 }, (_, i) => `al-${stableUuid(`banking:audit:${i}`)}`);

/** Every secret string seeded into Banking Assistant (none of them may appear in an extension package). */
export const BANKING_SECRETS: readonly string[] = [
  ...BANKING_API_KEYS.map((k) => k.key),
  CRM_TOKEN_VALUE,
  PAYMENTS_SIGNING_KEY_VALUE,
  PUSH_ACCESS_TOKEN,
  INLINE_BEARER_TOKEN,
  HARDCODED_FUNCTION_KEY,
];

/** "Must not leak" markers grouped by kind. */
export const BANKING_MUST_NOT_LEAK = {
  apiKeys: BANKING_API_KEYS.map((k) => k.key),
  secureEnvValues: [CRM_TOKEN_VALUE, PAYMENTS_SIGNING_KEY_VALUE],
  pushAccessToken: [PUSH_ACCESS_TOKEN],
  /** Typed into ordinary fields of v3: the native export keeps them (like the product); extension packages must not. */
  inlineSecrets: [INLINE_BEARER_TOKEN, HARDCODED_FUNCTION_KEY],
  inlineHeaderToken: [INLINE_BEARER_TOKEN],
  hardcodedFunctionKey: [HARDCODED_FUNCTION_KEY],
  sharingEmails: SHARING_FOR_ALL.map((s) => s.email),
  endpointUrls: [BANKING_ENDPOINT_PATH],
  auditLogIds: BANKING_AUDIT_LOG_IDS,
} as const;

// ---------------------------------------------------------------- node helpers

type NodeSpec = {
  name: string;
  type: string;
  x: number;
  y: number;
  config: JsonObject;
  onSuccess?: string[];
  onFailure?: string[];
};

/** Builds a node list; connections are given by node *name* and resolved to IDs. */
function buildNodes(scope: string, specs: NodeSpec[]): JsonObject[] {
  const idOf = (name: string) => `n-${stableUuid(`${scope}:node:${name}`).slice(0, 18)}`;
  return specs.map((s) => ({
    id: idOf(s.name),
    name: s.name,
    type: s.type,
    position: { x: s.x, y: s.y },
    config: resolveNodeRefs(s.config, idOf) as JsonObject,
    connections: { onSuccess: (s.onSuccess ?? []).map(idOf), onFailure: (s.onFailure ?? []).map(idOf) },
  }));
}

/** Replaces strings of the form "@node:Name" in configs with the node's ID. */
function resolveNodeRefs(value: Json, idOf: (name: string) => string): Json {
  if (typeof value === 'string') return value.startsWith('@node:') ? idOf(value.slice(6)) : value;
  if (Array.isArray(value)) return value.map((v) => resolveNodeRefs(v, idOf));
  if (value && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveNodeRefs(v, idOf);
    return out;
  }
  return value;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

// ---------------------------------------------------------------- Banking Assistant versions

const bankingIo: JsonObject = {
  inputs: [
    { name: 'customerId', type: 'string', mandatory: true },
    { name: 'message', type: 'string', mandatory: true },
    { name: 'channel', type: 'enum', mandatory: false, default: 'web', enum: ['web', 'mobile', 'branch'] },
    {
      name: 'applicant',
      type: 'json',
      mandatory: false,
      schema: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: {
          fullName: { type: 'string', description: 'Legal name of the applicant' },
          annualIncome: { type: 'number', description: 'Declared yearly income in EUR' },
          loanAmount: { type: 'number', description: 'Requested amount in EUR' },
        },
        required: ['fullName'],
      },
    },
  ],
  outputs: [
    { name: 'reply', type: 'string' },
    { name: 'intent', type: 'string' },
    { name: 'riskScore', type: 'number' },
  ],
};

const bankingGuardrails: JsonObject = {
  inputScanners: [
    { type: 'Prompt Injection', settings: { threshold: 0.8, endFlowIfRiskAbove: 0.9 } },
    {
      type: 'Regex',
      settings: {
        patterns: ['\\b\\d{4}[ -]?\\d{4}[ -]?\\d{4}[ -]?\\d{4}\\b'],
        matchType: 'search',
        endFlowIfRiskAbove: 0.5,
      },
    },
    { type: 'Anonymize', settings: { entities: ['PERSON', 'IBAN_CODE', 'PHONE_NUMBER'] } },
    { type: 'Toxicity', settings: { threshold: 0.7, endFlowIfRiskAbove: 0.8 } },
  ],
  outputScanners: [
    { type: 'Deanonymize', settings: {} },
    { type: 'Relevance', settings: { threshold: 0.5 } },
    { type: 'Toxicity', settings: { threshold: 0.7, endFlowIfRiskAbove: 0.8 } },
  ],
};

function bankingExecution(withPush: boolean): JsonObject {
  return withPush
    ? {
        syncTimeoutSec: 180,
        async: {
          enabled: true,
          timeoutSec: 300,
          push: {
            callbackUrl: 'https://hooks.sandboxbank.example/afp/banking-assistant/callback',
            accessToken: PUSH_ACCESS_TOKEN,
          },
        },
      }
    : { syncTimeoutSec: 120, async: { enabled: false, timeoutSec: null } };
}

function bankingEnv(logLevel: string, withSigningKey: boolean): Version['env'] {
  const variables: EnvVariable[] = [
    {
      name: 'BASE_URL',
      value: 'https://api.sandboxbank.example/v2',
      secure: false,
      notes: 'Core banking gateway',
    },
    { name: 'LOG_LEVEL', value: logLevel, secure: false, notes: '' },
    { name: 'CRM_TOKEN', value: CRM_TOKEN_VALUE, secure: true, notes: 'Service token for the CRM API' },
  ];
  if (withSigningKey) {
    variables.push({
      name: 'PAYMENTS_SIGNING_KEY',
      value: PAYMENTS_SIGNING_KEY_VALUE,
      secure: true,
      notes: 'HMAC key for payment instructions',
    });
  }
  return { schemaVersion: '1.0', variables };
}

const startNode = (x = 0, y = 200, next = ['API0001']): NodeSpec => ({
  name: 'Start',
  type: 'start',
  x,
  y,
  config: { triggers: [], schedule: null },
  onSuccess: next,
});

const customerProfileApi = (next: string[]): NodeSpec => ({
  name: 'API0001',
  type: 'api',
  x: 260,
  y: 200,
  config: {
    protocol: 'REST',
    method: 'GET',
    url: '{{context.env.BASE_URL}}/customers/{{context.steps.Start.customerId}}/profile',
    integrationType: 'sync',
    timeoutSec: 60,
    auth: { type: 'none' },
    headers: [
      { key: 'Authorization', value: 'Bearer {{context.env.CRM_TOKEN}}' },
      { key: 'Accept', value: 'application/json' },
      { key: 'X-Log-Level', value: '{{context.env.LOG_LEVEL}}' },
    ],
    body: { contentType: 'application/json', content: '' },
  },
  onSuccess: next,
  onFailure: ['EndError'],
});

const errorEnd: NodeSpec = {
  name: 'EndError',
  type: 'end',
  x: 1800,
  y: 600,
  config: {
    customName: 'Technical error',
    outputs: [{ key: 'reply', value: 'Sorry, something went wrong. Please try again later.' }],
  },
};

function bankingV1(): Version['flow'] {
  return {
    schemaVersion: '1.0',
    nodes: buildNodes('banking:v1', [
      startNode(),
      customerProfileApi(['AI0001']),
      {
        name: 'AI0001',
        type: 'ai',
        x: 520,
        y: 200,
        config: {
          model: { name: 'gpt-4o', provider: 'OpenAI' },
          systemPrompt:
            "You are the Sandbox Bank assistant. Answer politely and only about the customer's own accounts.",
          prompt:
            'Customer profile: {{context.steps.API0001.output}}\nCustomer message: {{context.steps.Start.message}}',
          hyperparameters: { temperature: 0.3, topP: 1, maxTokens: 600 },
          timeoutSec: 60,
        },
        onSuccess: ['End'],
        onFailure: ['EndError'],
      },
      {
        name: 'End',
        type: 'end',
        x: 780,
        y: 200,
        config: {
          customName: 'Reply',
          outputs: [{ key: 'reply', value: '{{context.steps.AI0001.output}}' }],
        },
      },
      errorEnd,
    ]),
  };
}

function loanSpecs(scope: 'v2' | 'v3'): NodeSpec[] {
  const afterFormat = scope === 'v3' ? ['API0002'] : ['End'];
  return [
    startNode(),
    customerProfileApi(['AI0001']),
    {
      name: 'AI0001',
      type: 'ai',
      x: 520,
      y: 200,
      config: {
        model: { name: 'claude-sonnet-4', provider: 'Anthropic' },
        systemPrompt:
          'Classify the banking request into one of: loan, balance, card, other. Reply with JSON {"intent": string, "amount": number|null}.',
        prompt: 'Message: {{context.steps.Start.message}}\nProfile: {{context.steps.API0001.output}}',
        hyperparameters: { temperature: 0, topP: 1, topK: 40, maxTokens: 200 },
        timeoutSec: 45,
        responseSchema: {
          type: 'object',
          properties: { intent: { type: 'string' }, amount: { type: ['number', 'null'] } },
          required: ['intent'],
        },
      },
      onSuccess: ['Condition0001'],
      onFailure: ['EndError'],
    },
    {
      name: 'Condition0001',
      type: 'condition',
      x: 780,
      y: 200,
      config: {
        branches: [
          {
            label: 'IF',
            combinator: 'AND',
            rules: [{ left: '{{context.steps.AI0001.output.intent}}', operator: '==', right: 'loan' }],
            goTo: '@node:DocSearch0001',
          },
          {
            label: 'ELSE IF',
            combinator: 'OR',
            rules: [
              { left: '{{context.steps.AI0001.output.intent}}', operator: '==', right: 'balance' },
              { left: '{{context.steps.Start.message}}', operator: 'contains', right: 'balance' },
            ],
            goTo: '@node:Loop0001',
          },
        ],
        else: { goTo: '@node:AI0002' },
      },
      onSuccess: ['DocSearch0001', 'Loop0001', 'AI0002'],
    },
    {
      name: 'DocSearch0001',
      type: 'docSearch',
      x: 1040,
      y: 40,
      config: {
        query: 'Loan eligibility rules for {{context.steps.AI0001.output.amount}} EUR',
        connection: { name: 'Search AI - Lending Policies', url: 'https://platform.kore.ai' },
        metaFilters: [{ field: 'department', operator: 'equals', value: 'lending' }],
      },
      onSuccess: ['Human0001'],
      onFailure: ['EndError'],
    },
    {
      name: 'Human0001',
      type: 'human',
      x: 1300,
      y: 40,
      config: {
        mode: 'sendAndWait',
        assignTo: { type: 'specificUsers', emails: ['loan-officers@sandboxbank.example'] },
        subject: 'Loan request from {{context.steps.Start.customerId}}',
        message:
          'Amount: {{context.steps.AI0001.output.amount}} EUR\nPolicy: {{context.steps.DocSearch0001.response.response.answer}}',
        timeout: { type: 'set', seconds: 7200 },
        onTimeout: 'terminate',
        onApproval: '@node:Integration0001',
        onDecline: '@node:Function0001',
      },
      onSuccess: ['Integration0001'],
      onFailure: ['Function0001'],
    },
    {
      name: 'Integration0001',
      type: 'integration',
      x: 1560,
      y: 40,
      config: {
        connector: 'Salesforce',
        connectionName: 'Sandbox Bank Salesforce',
        action: 'Create Opportunity',
        parameters: {
          AccountId: '{{context.steps.API0001.output.crmAccountId}}',
          Amount: '{{context.steps.AI0001.output.amount}}',
          StageName: 'Qualification',
          Approver: '{{context.steps.Human0001.output.Comments}}',
        },
      },
      onSuccess: ['Function0001'],
      onFailure: ['EndError'],
    },
    {
      name: 'Loop0001',
      type: 'loop',
      x: 1040,
      y: 220,
      config: {
        inputSource: '{{context.steps.API0001.output.accounts}}',
        outputField: 'balances',
        onError: 'continue',
        children: ['@node:API0003'],
      },
      onSuccess: ['Function0001'],
      onFailure: ['EndError'],
    },
    {
      name: 'API0003',
      type: 'api',
      x: 1040,
      y: 340,
      config: {
        protocol: 'REST',
        method: 'GET',
        url: '{{context.env.BASE_URL}}/accounts/{{currentItem.id}}/balance',
        integrationType: 'sync',
        timeoutSec: 30,
        headers: [{ key: 'Authorization', value: 'Bearer {{context.env.CRM_TOKEN}}' }],
        body: { contentType: 'application/json', content: '' },
      },
    },
    {
      name: 'AI0002',
      type: 'ai',
      x: 1040,
      y: 420,
      config: {
        model: { name: 'gpt-4o', provider: 'OpenAI' },
        systemPrompt: 'You are the Sandbox Bank assistant. Be concise.',
        prompt: 'Answer the customer: {{context.steps.Start.message}}',
        hyperparameters: { temperature: 0.4, topP: 0.9, maxTokens: 500 },
        timeoutSec: 60,
        workflowCalling: {
          enabled: true,
          mode: 'auto',
          parallelCalls: false,
          exitAfterCalls: 2,
          workflows: [{ name: WORKFLOWS.onboarding.name, id: WORKFLOWS.onboarding.id }],
        },
      },
      onSuccess: ['Function0001'],
      onFailure: ['EndError'],
    },
    {
      name: 'Function0001',
      type: 'function',
      x: 1560,
      y: 220,
      config: {
        mode: 'code',
        language: 'python',
        code: [
          'import json',
          '',
          'intent = context["steps"]["AI0001"]["output"]["intent"]',
          'balances = context["steps"].get("Loop0001", {}).get("output", [])',
          'reply = {"intent": intent, "accounts": len(balances)}',
          'context["reply"] = json.dumps(reply)',
        ].join('\n'),
      },
      onSuccess: afterFormat,
      onFailure: ['EndError'],
    },
    {
      name: 'End',
      type: 'end',
      x: 2340,
      y: 220,
      config: {
        customName: 'Reply',
        outputs: [
          { key: 'reply', value: '{{context.steps.Function0001.output}}' },
          { key: 'intent', value: '{{context.steps.AI0001.output.intent}}' },
          ...(scope === 'v3'
            ? [{ key: 'riskScore', value: '{{context.steps.Function0003.output.score}}' }]
            : []),
        ],
      },
    },
    errorEnd,
  ];
}

function bankingV2(): Version['flow'] {
  return { schemaVersion: '1.0', nodes: buildNodes('banking:v2', loanSpecs('v2')) };
}

function bankingV3(): Version['flow'] {
  const specs = loanSpecs('v3');
  specs.push(
    {
      name: 'API0002',
      type: 'api',
      x: 1820,
      y: 220,
      config: {
        protocol: 'REST',
        method: 'POST',
        url: 'https://fraud.sandboxbank.example/v1/score',
        integrationType: 'sync',
        timeoutSec: 30,
        headers: [
          { key: 'Authorization', value: `Bearer ${INLINE_BEARER_TOKEN}` },
          { key: 'Content-Type', value: 'application/json' },
        ],
        body: {
          contentType: 'application/json',
          content: json({
            customerId: '{{context.steps.Start.customerId}}',
            channel: '{{context.steps.Start.channel}}',
            intent: '{{context.steps.AI0001.output.intent}}',
          }),
        },
      },
      onSuccess: ['Function0002'],
      onFailure: ['Delay0001'],
    },
    {
      name: 'Delay0001',
      type: 'delay',
      x: 1820,
      y: 420,
      config: { timeoutSec: 30 },
      onSuccess: ['Function0002'],
    },
    {
      name: 'Function0002',
      type: 'function',
      x: 2080,
      y: 220,
      config: {
        mode: 'code',
        language: 'javascript',
        code: [
          '// Double-check suspicious card payments with Stripe Radar before answering.',
          `const apiKey = "${HARDCODED_FUNCTION_KEY}";`,
          'const score = context.steps.API0002.output.score;',
          'if (score > 0.7) {',
          '  const res = await fetch("https://api.stripe.com/v1/radar/value_list_items", {',
          '    method: "POST",',
          '    headers: { Authorization: `Bearer ${apiKey}`, "Content-Type": "application/x-www-form-urlencoded" },',
          '    body: `value_list=rsl_fraud_review&value=${context.steps.Start.customerId}`,',
          '  });',
          '  context.fraudReview = res.status;',
          '}',
          'return { score, flagged: score > 0.7 };',
        ].join('\n'),
      },
      onSuccess: ['Function0003'],
      onFailure: ['EndError'],
    },
    {
      name: 'Function0003',
      type: 'function',
      x: 2080,
      y: 420,
      config: {
        mode: 'customFunction',
        language: 'javascript',
        code: '',
        customFunction: {
          script: 'kyc-utils',
          function: 'scoreApplicant',
          arguments: [
            { name: 'applicant', type: 'JSON', value: '{{context.steps.Start.applicant}}' },
            { name: 'fraudScore', type: 'Number', value: '{{context.steps.Function0002.output.score}}' },
          ],
        },
      },
      onSuccess: ['End'],
      onFailure: ['EndError'],
    },
  );
  return { schemaVersion: '1.0', nodes: buildNodes('banking:v3', specs) };
}

// ---------------------------------------------------------------- other workflows

function invoiceFlow(): Version['flow'] {
  return {
    schemaVersion: '1.0',
    nodes: buildNodes('invoice:v1', [
      startNode(0, 200, ['DocSearch0001']),
      {
        name: 'DocSearch0001',
        type: 'docSearch',
        x: 260,
        y: 200,
        config: {
          query: 'Vendor terms for {{context.steps.Start.vendor}}',
          connection: { name: 'Search AI - Procurement', url: 'https://platform.kore.ai' },
          metaFilters: [],
        },
        onSuccess: ['AI0001'],
      },
      {
        name: 'AI0001',
        type: 'ai',
        x: 520,
        y: 200,
        config: {
          model: { name: 'gpt-4o', provider: 'OpenAI' },
          systemPrompt: 'Extract invoice number, vendor, total and due date. Reply in JSON.',
          prompt:
            'Invoice text: {{context.steps.Start.invoiceText}}\nVendor terms: {{context.steps.DocSearch0001.output}}',
          hyperparameters: { temperature: 0, maxTokens: 300 },
          timeoutSec: 60,
        },
        onSuccess: ['Condition0001'],
      },
      {
        name: 'Condition0001',
        type: 'condition',
        x: 780,
        y: 200,
        config: {
          branches: [
            {
              label: 'IF',
              combinator: 'AND',
              rules: [{ left: '{{context.steps.AI0001.output.total}}', operator: '>', right: '10000' }],
              goTo: '@node:Human0001',
            },
          ],
          else: { goTo: '@node:End' },
        },
        onSuccess: ['Human0001', 'End'],
      },
      {
        name: 'Human0001',
        type: 'human',
        x: 1040,
        y: 80,
        config: {
          mode: 'sendAndWait',
          assignTo: { type: 'everyone' },
          subject: 'Approve invoice {{context.steps.AI0001.output.invoiceNumber}}',
          message: 'Total {{context.steps.AI0001.output.total}}',
          timeout: { type: 'none' },
        },
        onSuccess: ['End'],
      },
      {
        name: 'End',
        type: 'end',
        x: 1300,
        y: 200,
        config: {
          customName: 'Done',
          outputs: [{ key: 'invoice', value: '{{context.steps.AI0001.output}}' }],
        },
      },
    ]),
  };
}

function onboardingFlow(draft: boolean): Version['flow'] {
  const specs: NodeSpec[] = [
    startNode(0, 200, ['Function0001']),
    {
      name: 'Function0001',
      type: 'function',
      x: 260,
      y: 200,
      config: {
        mode: 'customFunction',
        language: 'javascript',
        code: '',
        customFunction: {
          script: 'kyc-utils',
          function: 'normalizeName',
          arguments: [{ name: 'name', type: 'String', value: '{{context.steps.Start.fullName}}' }],
        },
      },
      onSuccess: ['API0001'],
    },
    {
      name: 'API0001',
      type: 'api',
      x: 520,
      y: 200,
      config: {
        protocol: 'REST',
        method: 'POST',
        url: '{{context.env.KYC_PROVIDER_URL}}/checks',
        integrationType: 'async',
        timeoutSec: 120,
        headers: [{ key: 'X-Api-Key', value: '{{context.env.KYC_API_KEY}}' }],
        body: {
          contentType: 'application/json',
          content: json({ name: '{{context.steps.Function0001.output}}', tier: 'Tier-1' }),
        },
      },
      onSuccess: draft ? ['AI0001'] : ['End'],
    },
    {
      name: 'End',
      type: 'end',
      x: 1040,
      y: 200,
      config: { outputs: [{ key: 'status', value: '{{context.steps.API0001.output.status}}' }] },
    },
  ];
  if (draft) {
    specs.push({
      name: 'AI0001',
      type: 'ai',
      x: 780,
      y: 200,
      config: {
        model: { name: 'claude-sonnet-4', provider: 'Anthropic' },
        systemPrompt: 'Summarise the KYC result for a compliance officer. Résumé en français si demandé. ✓',
        prompt: '{{context.steps.API0001.output}}',
        hyperparameters: { temperature: 0.2 },
        timeoutSec: 60,
      },
      onSuccess: ['End'],
    });
  }
  return { schemaVersion: '1.0', nodes: buildNodes(`onboarding:${draft ? 'v2' : 'v1'}`, specs) };
}

function emptyFlow(): Version['flow'] {
  return {
    schemaVersion: '1.0',
    nodes: buildNodes('empty:v1', [
      {
        name: 'Start',
        type: 'start',
        x: 0,
        y: 200,
        config: { triggers: [], schedule: null },
        onSuccess: ['End'],
      },
      { name: 'End', type: 'end', x: 400, y: 200, config: { outputs: [{ key: 'result', value: '' }] } },
    ]),
  };
}

const simpleIo = (inputs: Array<[string, string]>, outputs: Array<[string, string]>): JsonObject => ({
  inputs: inputs.map(([name, type]) => ({ name, type, mandatory: true })),
  outputs: outputs.map(([name, type]) => ({ name, type })),
});
const defaultExecution = (): JsonObject => ({
  syncTimeoutSec: 180,
  async: { enabled: false, timeoutSec: null },
});
const noGuardrails = (): JsonObject => ({ inputScanners: [], outputScanners: [] });

function version(
  id: string,
  name: string,
  description: string,
  state: VersionState,
  createdAt: string,
  app: JsonObject,
  flow: Version['flow'],
  env: Version['env'],
): Version {
  return { id, name, description, state, createdAt, updatedAt: createdAt, app, flow, env };
}

function auditLog(
  scope: string,
  i: number,
  event: string,
  category: string,
  user: string,
  at: string,
  description: string,
  metadata: JsonObject = {},
): AuditLog {
  return { id: `al-${stableUuid(`${scope}:audit:${i}`)}`, event, category, user, at, description, metadata };
}

function bankingAuditLogs(): AuditLog[] {
  const o = USERS.owner.email;
  const m = USERS.manager.email;
  const e = USERS.editor.email;
  const agentId = { 'Agent ID': WORKFLOWS.banking.id };
  const rows: Array<[string, string, string, string, JsonObject?]> = [
    ['Workflow created', 'Workflow Management', o, 'Workflow "Banking Assistant" created'],
    [
      'Version created',
      'Workflow Management',
      o,
      'Version "v1 initial" created',
      { versionId: WORKFLOWS.banking.versions.v1 },
    ],
    ['Environment variable added', 'Workflow Management', o, 'BASE_URL added'],
    ['Environment variable added', 'Workflow Management', o, 'LOG_LEVEL added'],
    ['Environment variable added', 'Workflow Management', o, 'CRM_TOKEN added (secure)'],
    ['Invited users', 'User Management', o, `Invited ${m} as tool manager`],
    ['Invited users', 'User Management', o, `Invited ${e} as tool editor`],
    ['Invited users', 'User Management', o, `Invited ${USERS.viewer.email} as tool viewer`],
    ['Input scanner added', 'Guardrails', m, 'Prompt Injection scanner added'],
    ['Input scanner added', 'Guardrails', m, 'Regex scanner added'],
    ['Output scanner added', 'Guardrails', m, 'Relevance scanner added'],
    [
      'Workflow deployed',
      'Workflow Management',
      o,
      'Version "v1 initial" deployed',
      { workflowVersion: 'v1 initial', apiMode: 'sync' },
    ],
    ['API Key created', 'Workflow Management', o, 'API key "prod" created'],
    ['API Key created', 'Workflow Management', m, 'API key "staging" created'],
    [
      'Version created',
      'Workflow Management',
      e,
      'Version "v2 loan intents" created',
      { versionId: WORKFLOWS.banking.versions.v2 },
    ],
    ['Environment variable added', 'Workflow Management', m, 'PAYMENTS_SIGNING_KEY added (secure)'],
    [
      'API async enabled',
      'Workflow Management',
      m,
      'Async push enabled',
      {
        url: 'https://hooks.sandboxbank.example/afp/banking-assistant/callback',
        accessToken: 'yes',
        timeout: 'yes',
        value: 300,
      },
    ],
    ['API sync timeout updated', 'Workflow Management', m, 'Sync timeout set to 180 s'],
    [
      'Workflow deployed',
      'Workflow Management',
      m,
      'Version "v2 loan intents" deployed',
      { workflowVersion: 'v2 loan intents', apiMode: 'async' },
    ],
    ['Workflow exported', 'Workflow Management', e, 'Version "v2 loan intents" exported'],
    [
      'Version created',
      'Workflow Management',
      e,
      'Version "v3 fraud checks" created',
      { versionId: WORKFLOWS.banking.versions.v3 },
    ],
    ['Environment variable edited', 'Workflow Management', e, 'LOG_LEVEL edited'],
    ['Input scanner edited', 'Guardrails', e, 'Toxicity scanner threshold changed'],
    ['Role changed', 'User Management', o, `${USERS.viewer.email} role changed to tool viewer`],
    ['Workflow description updated', 'Workflow Management', o, 'Description updated'],
  ];
  const start = Date.parse('2025-03-03T09:20:00.000Z');
  return rows.map(([event, category, user, description, metadata], i) =>
    auditLog(
      'banking',
      i,
      event,
      category,
      user,
      new Date(start + i * 3 * 86_400_000 + i * 61_000).toISOString(),
      description,
      {
        ...agentId,
        ...(metadata ?? {}),
      },
    ),
  );
}

function simpleAuditLogs(scope: string, name: string, at: string, deployed: boolean): AuditLog[] {
  const logs = [
    auditLog(
      scope,
      0,
      'Workflow created',
      'Workflow Management',
      USERS.owner.email,
      at,
      `Workflow "${name}" created`,
    ),
  ];
  if (deployed) {
    logs.push(
      auditLog(
        scope,
        1,
        'Workflow deployed',
        'Workflow Management',
        USERS.owner.email,
        at.replace('T09', 'T15'),
        `Workflow "${name}" deployed`,
      ),
    );
  }
  return logs;
}

function workflow(
  key: keyof typeof WORKFLOWS,
  description: string,
  createdAt: string,
  updatedAt: string,
  versions: Version[],
  extra: Partial<Workflow> = {},
): Workflow {
  const deployed = versions.find((v) => v.state === 'deployed');
  return {
    id: WORKFLOWS[key].id,
    name: WORKFLOWS[key].name,
    description,
    createdAt,
    updatedAt,
    createdBy: USERS.owner.id,
    deployedVersionId: deployed ? deployed.id : null,
    apiKeys: [],
    sharing: SHARING_FOR_ALL.map((s) => ({ ...s })),
    auditLogs: simpleAuditLogs(key, WORKFLOWS[key].name, createdAt, !!deployed),
    versions,
    ...extra,
  };
}

let claimsFlowJson: string | null = null;
/** The generated flow is the same every time; generate it once per process and hand out copies. */
function claimsFlowCopy(): Version['flow'] {
  claimsFlowJson ??= JSON.stringify(generateClaimsFlow());
  return JSON.parse(claimsFlowJson) as Version['flow'];
}

/** A fresh seeded state. Every call returns new objects (safe to mutate). */
export function createSeedState(): SandboxState {
  const B = WORKFLOWS.banking.versions;
  const banking = workflow(
    'banking',
    'Retail banking assistant: answers account questions, qualifies loan requests and screens for fraud.',
    '2025-03-03T09:15:00.000Z',
    '2025-06-20T14:02:00.000Z',
    [
      version(
        B.v1,
        'v1 initial',
        'First version: profile lookup and a plain answer',
        'saved',
        '2025-03-03T09:20:00.000Z',
        { io: bankingIo, execution: bankingExecution(false), guardrails: bankingGuardrails },
        bankingV1(),
        bankingEnv('info', false),
      ),
      version(
        B.v2,
        'v2 loan intents',
        'Intent routing, loan approval with a human step, balance loop',
        'deployed',
        '2025-04-14T10:00:00.000Z',
        { io: bankingIo, execution: bankingExecution(true), guardrails: bankingGuardrails },
        bankingV2(),
        bankingEnv('info', true),
      ),
      version(
        B.v3,
        'v3 fraud checks',
        'Fraud scoring, Stripe Radar review and KYC scoring',
        'in-development',
        '2025-06-02T16:30:00.000Z',
        { io: bankingIo, execution: bankingExecution(true), guardrails: bankingGuardrails },
        bankingV3(),
        bankingEnv('debug', true),
      ),
    ],
    { apiKeys: BANKING_API_KEYS.map((k) => ({ ...k })), auditLogs: bankingAuditLogs() },
  );
  banking.versions[2]!.updatedAt = '2025-06-20T14:02:00.000Z';

  const invoice = workflow(
    'invoice',
    'Reads incoming invoices, extracts totals and asks for approval above 10,000 EUR.',
    '2025-05-06T09:00:00.000Z',
    '2025-05-07T11:12:00.000Z',
    [
      version(
        WORKFLOWS.invoice.versions.v1,
        'v1 draft',
        'First draft',
        'in-development',
        '2025-05-06T09:05:00.000Z',
        {
          io: simpleIo(
            [
              ['invoiceText', 'string'],
              ['vendor', 'string'],
            ],
            [['invoice', 'json']],
          ),
          execution: defaultExecution(),
          guardrails: noGuardrails(),
        },
        invoiceFlow(),
        { schemaVersion: '1.0', variables: [] },
      ),
    ],
  );

  const kycEnv = (): Version['env'] => ({
    schemaVersion: '1.0',
    variables: [
      {
        name: 'KYC_PROVIDER_URL',
        value: 'https://kyc.sandboxbank.example/api',
        secure: false,
        notes: 'Prüfdienst für Tier-1 ✓',
      },
      { name: 'KYC_API_KEY', value: `kyc_${stableHex('kyc-api-key', 32)}`, secure: true, notes: '' },
    ],
  });
  const onboarding = workflow(
    'onboarding',
    'Kunden-Onboarding mit KYC-Prüfung „Tier-1“ — naïve façade test ✓',
    '2025-04-01T09:00:00.000Z',
    '2025-05-28T08:45:00.000Z',
    [
      version(
        WORKFLOWS.onboarding.versions.v1,
        'v1 launch',
        'Launch version',
        'deployed',
        '2025-04-01T09:10:00.000Z',
        {
          io: simpleIo([['fullName', 'string']], [['status', 'string']]),
          execution: defaultExecution(),
          guardrails: { inputScanners: [{ type: 'Anonymize', settings: {} }], outputScanners: [] },
        },
        onboardingFlow(false),
        kycEnv(),
      ),
      version(
        WORKFLOWS.onboarding.versions.v2,
        'v2 résumé ✓',
        'Adds an AI summary',
        'in-development',
        '2025-05-28T08:45:00.000Z',
        {
          io: simpleIo([['fullName', 'string']], [['status', 'string']]),
          execution: defaultExecution(),
          guardrails: { inputScanners: [{ type: 'Anonymize', settings: {} }], outputScanners: [] },
        },
        onboardingFlow(true),
        kycEnv(),
      ),
    ],
  );

  const claims = workflow(
    'claims',
    `Insurance claims processing at scale (${CLAIMS_NODE_COUNT} nodes).`,
    '2025-02-10T09:00:00.000Z',
    '2025-02-24T12:00:00.000Z',
    [
      version(
        WORKFLOWS.claims.versions.v1,
        'v1 full pipeline',
        'Generated performance fixture',
        'deployed',
        '2025-02-10T09:00:00.000Z',
        {
          io: simpleIo(
            [
              ['claimId', 'string'],
              ['policyNumber', 'string'],
              ['claimText', 'string'],
            ],
            [
              ['decision', 'string'],
              ['payout', 'number'],
            ],
          ),
          execution: { syncTimeoutSec: 300, async: { enabled: true, timeoutSec: 600 } },
          guardrails: {
            inputScanners: [
              { type: 'Anonymize', settings: {} },
              { type: 'Prompt Injection', settings: { threshold: 0.8 } },
            ],
            outputScanners: [{ type: 'Deanonymize', settings: {} }],
          },
        },
        claimsFlowCopy(),
        {
          schemaVersion: '1.0',
          variables: [
            { name: 'CLAIMS_API', value: 'https://claims.sandboxbank.example/api', secure: false, notes: '' },
            { name: 'FRAUD_THRESHOLD', value: '0.72', secure: false, notes: '' },
            { name: 'ADJUSTER_TOKEN', value: `adj_${stableHex('adjuster', 32)}`, secure: true, notes: '' },
          ],
        },
      ),
    ],
  );

  const empty = workflow('empty', '', '2025-06-15T09:00:00.000Z', '2025-06-15T09:00:00.000Z', [
    version(
      WORKFLOWS.empty.versions.v1,
      'v1',
      '',
      'in-development',
      '2025-06-15T09:00:00.000Z',
      {
        io: { inputs: [], outputs: [{ name: 'result', type: 'string' }] },
        execution: defaultExecution(),
        guardrails: noGuardrails(),
      },
      emptyFlow(),
      { schemaVersion: '1.0', variables: [] },
    ),
  ]);

  return {
    account: { ...ACCOUNT },
    users: (Object.keys(USERS) as SeedUserKey[]).map((k) => ({
      id: USERS[k].id,
      email: USERS[k].email,
      name: USERS[k].name,
      password: SANDBOX_PASSWORD,
      accountRole: USERS[k].accountRole,
    })),
    managementApiKeys: [{ key: MANAGEMENT_API_KEY, userId: USERS.owner.id, name: 'Sandbox management key' }],
    models: MODELS.map((m) => ({ ...m })),
    guardrails: {
      deployed: [...DEPLOYED_GUARDRAILS],
      available: [...DEPLOYED_GUARDRAILS, ...UNDEPLOYED_GUARDRAILS],
    },
    customScripts: CUSTOM_SCRIPTS.map((s) => ({ name: s.name, functions: [...s.functions] })),
    workflows: [banking, invoice, onboarding, claims, empty],
    files: [],
    jobs: [],
  };
}
