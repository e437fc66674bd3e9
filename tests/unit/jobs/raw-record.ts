/** A small raw version record (platform-contract.md §6) with secrets in the places users put them. */
export const SECRET_TOKEN = 'sk-proj-Q7vX2mN9pL4kR8sT1wY6zB3cD5fG0hJ2';
export const SECURE_VALUE = 'crm-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
export const PUSH_TOKEN = 'push-tok-5ac1b2e3f4d5a6b7c8d9e0f1a2b3c4d5';

export function rawRecord() {
  return {
    workflow: {
      id: 'a-1',
      name: 'Banking Assistant',
      description: 'Answers banking questions',
      status: 'Deployed',
      endpoint: { sync: 'https://process.kore.ai/api/v1/process/a-1' },
      apiKeys: [
        {
          id: 'k1',
          name: 'prod',
          key: 'kg-11111111-2222-3333-4444-555555555555-66666666-7777-8888-9999-000000000000',
        },
      ],
      sharing: [{ userId: 'u1', email: 'someone@bank.test', role: 'tool editor' }],
      auditLogs: [{ id: 'log-1', event: 'Workflow deployed' }],
    },
    version: {
      id: 'cf-1',
      name: 'v2',
      description: '',
      state: 'deployed',
      createdAt: '2026-01-01T00:00:00Z',
    },
    app: {
      schemaVersion: '1.0',
      workflow: { name: 'Banking Assistant', description: 'Answers banking questions' },
      version: { id: 'cf-1', name: 'v2' },
      io: {
        inputs: [{ name: 'question', type: 'string', mandatory: true }],
        outputs: [{ name: 'answer', type: 'string' }],
      },
      execution: {
        syncTimeoutSec: 180,
        async: {
          enabled: true,
          timeoutSec: 300,
          push: { callbackUrl: 'https://hooks.bank.test/cb', accessToken: PUSH_TOKEN },
        },
      },
      guardrails: { inputScanners: [{ type: 'Toxicity', settings: {} }], outputScanners: [] },
    },
    flow: {
      schemaVersion: '1.0',
      nodes: [
        {
          id: 'n1',
          name: 'Start',
          type: 'start',
          position: { x: 0, y: 0 },
          config: {},
          connections: { onSuccess: ['n2'], onFailure: [] },
        },
        {
          id: 'n2',
          name: 'API0001',
          type: 'api',
          position: { x: 200, y: 0 },
          config: {
            url: '{{context.env.BASE_URL}}/accounts',
            method: 'GET',
            headers: [{ key: 'Authorization', value: `Bearer ${SECRET_TOKEN}` }],
          },
          connections: { onSuccess: ['n3'], onFailure: [] },
        },
        {
          id: 'n3',
          name: 'AI0001',
          type: 'ai',
          position: { x: 400, y: 0 },
          config: {
            model: { name: 'gpt-4o', provider: 'OpenAI' },
            prompt: 'Answer {{context.steps.Start.question}}',
          },
          connections: { onSuccess: ['n4'], onFailure: [] },
        },
        {
          id: 'n4',
          name: 'End',
          type: 'end',
          position: { x: 600, y: 0 },
          config: {},
          connections: { onSuccess: [], onFailure: [] },
        },
      ],
    },
    env: {
      variables: [
        { name: 'BASE_URL', value: 'https://api.bank.test', secure: false, notes: '' },
        { name: 'CRM_TOKEN', value: SECURE_VALUE, secure: true, notes: '' },
      ],
    },
  };
}
