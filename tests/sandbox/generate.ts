/**
 * "Claims Flow 2000": a deterministic ~2,000-node flow of several MB, for performance work.
 * A seeded PRNG picks a realistic node mix; wiring only goes forward (the canvas forbids loops), every node
 * is reachable from Start through the main chain, conditions and some nodes fan out into parallel branches,
 * and failures route to a few error-handling End nodes.
 */
import { stableUuid } from './ids.ts';
import type { JsonObject } from './types.ts';

export const CLAIMS_NODE_COUNT = 2000;

/** A small seeded PRNG: the same seed gives the same sequence on every machine. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIX: Array<[string, number]> = [
  ['api', 26],
  ['ai', 16],
  ['function', 20],
  ['condition', 12],
  ['integration', 6],
  ['docSearch', 6],
  ['loop', 5],
  ['human', 4],
  ['delay', 5],
];
const LABEL: Record<string, string> = {
  api: 'API',
  ai: 'AI',
  function: 'Function',
  condition: 'Condition',
  integration: 'Integration',
  docSearch: 'DocSearch',
  loop: 'Loop',
  human: 'Human',
  delay: 'Delay',
  end: 'End',
};

const CLAIM_TOPICS = [
  'water damage in the kitchen',
  'rear-end collision on the motorway',
  'stolen bicycle from a locked shed',
  'hail damage to the roof',
  'broken windscreen from gravel',
  'burst pipe in a rented flat',
  'lost luggage on an international flight',
  'storm damage to a garden fence',
  'dental treatment abroad',
  'fire in a commercial bakery',
];
const SYSTEMS = ['policy', 'claims', 'payments', 'fraud', 'documents', 'customers', 'adjusters', 'reserves'];
const CONNECTORS: Array<[string, string]> = [
  ['Salesforce', 'Update Case'],
  ['ServiceNow', 'Create Incident'],
  ['Jira', 'Create Issue'],
  ['Slack', 'Post Message'],
  ['Gmail', 'Send Email'],
];

export function generateClaimsFlow(
  count = CLAIMS_NODE_COUNT,
  seed = 20_000,
): { schemaVersion: string; nodes: JsonObject[] } {
  const rand = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const totalWeight = MIX.reduce((s, [, w]) => s + w, 0);
  const pickType = () => {
    let r = rand() * totalWeight;
    for (const [type, w] of MIX) {
      if ((r -= w) < 0) return type;
    }
    return 'api';
  };

  const errorEnds = 4;
  const bodyCount = count - 2 - errorEnds; // Start, final End, error Ends
  const types: string[] = ['start'];
  for (let i = 0; i < bodyCount; i++) types.push(pickType());
  types.push('end');
  for (let i = 0; i < errorEnds; i++) types.push('end');

  const counters: Record<string, number> = {};
  const names = types.map((type, i) => {
    if (type === 'start') return 'Start';
    if (type === 'end' && i === bodyCount + 1) return 'End';
    counters[type] = (counters[type] ?? 0) + 1;
    return `${LABEL[type]}${String(counters[type]).padStart(4, '0')}`;
  });
  const ids = names.map((name) => `n-${stableUuid(`claims:node:${name}`).slice(0, 18)}`);
  const lastBody = bodyCount; // index of last body node
  const errorIds = ids.slice(bodyCount + 2);

  const prevRef = (i: number) => {
    const j = Math.max(1, i - 1 - Math.floor(rand() * 8));
    const name = i <= 1 ? 'Start' : names[j]!;
    return name === 'Start' ? '{{context.steps.Start.claimId}}' : `{{context.steps.${name}.output}}`;
  };

  const nodes: JsonObject[] = types.map((type, i) => {
    const onSuccess: string[] = [];
    const onFailure: string[] = [];
    if (i <= lastBody) {
      onSuccess.push(ids[i + 1]!);
      if (i > 0 && i + 3 <= lastBody && (type === 'condition' || rand() < 0.08)) onSuccess.push(ids[i + 3]!);
      if (i > 0 && !['condition', 'delay'].includes(type)) onFailure.push(errorIds[i % errorEnds]!);
    }
    const topic = pick(CLAIM_TOPICS);
    const system = pick(SYSTEMS);
    let config: JsonObject;
    switch (type) {
      case 'start':
        config = { triggers: [{ type: 'api' }], schedule: null };
        break;
      case 'end':
        config =
          i === lastBody + 1
            ? {
                customName: 'Decision',
                outputs: [
                  { key: 'decision', value: prevRef(i) },
                  { key: 'payout', value: prevRef(i) },
                ],
              }
            : {
                customName: `Claim error ${i - lastBody - 1}`,
                outputs: [{ key: 'decision', value: 'manual-review' }],
              };
        break;
      case 'api':
        config = {
          protocol: 'REST',
          method: pick(['GET', 'POST', 'PUT', 'PATCH']),
          url: `{{context.env.CLAIMS_API}}/${system}/{{context.steps.Start.claimId}}/${pick(['status', 'history', 'documents', 'notes', 'lines'])}`,
          integrationType: rand() < 0.8 ? 'sync' : 'async',
          timeoutSec: 30 + Math.floor(rand() * 120),
          auth: { type: 'pre_authorized', profileId: `${system}-oauth` },
          headers: [
            { key: 'Accept', value: 'application/json' },
            { key: 'X-Claim-Id', value: '{{context.steps.Start.claimId}}' },
            { key: 'X-Correlation-Id', value: `claims-${i}-{{context.steps.Start.policyNumber}}` },
          ],
          body: {
            contentType: 'application/json',
            content: JSON.stringify(
              {
                claimId: '{{context.steps.Start.claimId}}',
                policyNumber: '{{context.steps.Start.policyNumber}}',
                previous: prevRef(i),
                stage: i,
                notes: `Automated ${system} update for ${topic}. Generated step ${i} of the claims pipeline.`,
                lines: Array.from({ length: 6 }, (_, k) => ({
                  line: k + 1,
                  code: `C${(i * 7 + k) % 997}`,
                  amount: Math.round(rand() * 500000) / 100,
                })),
              },
              null,
              2,
            ),
          },
        };
        break;
      case 'ai':
        config = {
          model:
            rand() < 0.6
              ? { name: 'gpt-4o', provider: 'OpenAI' }
              : { name: 'claude-sonnet-4', provider: 'Anthropic' },
          systemPrompt:
            `You are a senior claims adjuster at Sandbox Bank Insurance. Assess claims about ${topic} fairly and consistently. ` +
            'Follow the policy wording exactly, cite the clause you rely on, flag anything that needs a human adjuster, ' +
            'never invent facts that are not in the claim file, and answer in strict JSON with the keys decision, reasons, ' +
            'confidence (0..1), missingDocuments (array) and suggestedPayout (number, EUR). Keep reasons short and factual. ' +
            'If the claim looks fraudulent, set decision to "refer" and explain which signals you saw.',
          prompt:
            `Claim file: ${prevRef(i)}\nPolicy: {{context.steps.Start.policyNumber}}\nCustomer statement: {{context.steps.Start.claimText}}\n` +
            `Earlier assessment: ${prevRef(i)}\nStep ${i}: focus on the ${system} aspects of this ${topic} claim.`,
          hyperparameters: {
            temperature: Math.round(rand() * 50) / 100,
            topP: 1,
            maxTokens: 400 + Math.floor(rand() * 800),
          },
          timeoutSec: 30 + Math.floor(rand() * 150),
        };
        break;
      case 'function':
        config =
          rand() < 0.85
            ? {
                mode: 'code',
                language: rand() < 0.5 ? 'javascript' : 'python',
                code: [
                  `// Step ${i}: normalise the ${system} data for the ${topic} claim`,
                  `const input = context.steps.${names[Math.max(1, i - 1)]}?.output ?? {};`,
                  'const lines = Array.isArray(input.lines) ? input.lines : [];',
                  'let total = 0;',
                  'for (const line of lines) {',
                  '  const amount = Number(line.amount) || 0;',
                  '  if (amount < 0) continue;',
                  '  total += Math.round(amount * 100) / 100;',
                  '}',
                  `const threshold = Number(context.env.FRAUD_THRESHOLD ?? 0.72);`,
                  `const flags = [];`,
                  `if (total > ${1000 + i * 3}) flags.push('high-value');`,
                  `if ((input.previousClaims ?? 0) > 2) flags.push('frequent-claimant');`,
                  'context.flags = [...(context.flags ?? []), ...flags];',
                  'return { total, flags, threshold, reviewed: flags.length === 0 };',
                ].join('\n'),
              }
            : {
                mode: 'customFunction',
                language: 'javascript',
                code: '',
                customFunction: {
                  script: 'kyc-utils',
                  function: pick(['scoreApplicant', 'normalizeName']),
                  arguments: [{ name: 'input', type: 'JSON', value: prevRef(i) }],
                },
              };
        break;
      case 'condition':
        config = {
          branches: [
            {
              label: 'IF',
              combinator: pick(['AND', 'OR']),
              rules: [
                {
                  left: `${prevRef(i)}.total`,
                  operator: pick(['>', '>=', '<', '==']),
                  right: String(Math.floor(rand() * 10000)),
                },
                {
                  left: `${prevRef(i)}.decision`,
                  operator: pick(['==', '!=', 'contains']),
                  right: pick(['approve', 'refer', 'decline']),
                },
              ],
              goTo: onSuccess[1] ?? onSuccess[0] ?? null,
            },
          ],
          else: { goTo: onSuccess[0] ?? null },
        };
        break;
      case 'integration': {
        const [connector, action] = pick(CONNECTORS);
        config = {
          connector,
          connectionName: `Claims ${connector}`,
          action,
          parameters: {
            subject: `Claim {{context.steps.Start.claimId}}: ${topic}`,
            body: prevRef(i),
            priority: pick(['low', 'medium', 'high']),
          },
        };
        break;
      }
      case 'docSearch':
        config = {
          query: `Policy clauses about ${topic} for {{context.steps.Start.policyNumber}}`,
          connection: { name: 'Search AI - Policy Wordings', url: 'https://platform.kore.ai' },
          metaFilters: [
            {
              field: 'product',
              operator: 'equals',
              value: pick(['home', 'motor', 'travel', 'health', 'business']),
            },
          ],
        };
        break;
      case 'loop':
        config = {
          inputSource: `${prevRef(i)}.lines`,
          outputField: `lineResults${i}`,
          onError: pick(['continue', 'terminate', 'removeFailed']),
          children: [],
        };
        break;
      case 'human':
        config = {
          mode: 'sendAndWait',
          assignTo:
            rand() < 0.5
              ? { type: 'everyone' }
              : { type: 'specificUsers', emails: ['claims-adjusters@sandboxbank.example'] },
          subject: `Review claim {{context.steps.Start.claimId}} (${topic})`,
          message: `Please review: ${prevRef(i)}`,
          timeout:
            rand() < 0.5 ? { type: 'none' } : { type: 'set', seconds: 3600 * (1 + Math.floor(rand() * 48)) },
          onTimeout: pick(['terminate', 'skip']),
        };
        break;
      case 'delay':
        config = { timeoutSec: 30 + Math.floor(rand() * 3600) };
        break;
      default:
        config = {};
    }
    const col = i <= lastBody + 1 ? i : lastBody + 2;
    const description =
      `${LABEL[type] ?? type} step ${i} of the claims pipeline (${system}). Handles ${topic}: ` +
      Array.from(
        { length: 10 },
        (_, k) =>
          pick([
            `checks the ${pick(SYSTEMS)} record against the policy schedule and the claim history`,
            `records the outcome in the ${pick(SYSTEMS)} ledger with the adjuster's reference`,
            `escalates to a senior adjuster when the reserve exceeds the delegated authority`,
            `normalises currency amounts to EUR using the daily reference rate`,
            `requests missing documents (photos, invoices, police report) from the claimant`,
            `applies the deductible and the sub-limits that apply to ${pick(CLAIM_TOPICS)}`,
            `keeps the audit trail required by the regulator for claims above the threshold`,
            `masks personal data before anything is sent to an external provider`,
          ]) + (k < 9 ? ';' : '.'),
      ).join(' ');
    return {
      id: ids[i]!,
      name: names[i]!,
      type,
      description,
      position: {
        x: (col % 50) * 280,
        y: Math.floor(col / 50) * 220 + (i > lastBody + 1 ? (i - lastBody) * 160 : 0),
      },
      config,
      connections: { onSuccess, onFailure },
    };
  });
  return { schemaVersion: '1.0', nodes };
}
