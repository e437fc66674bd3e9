/**
 * AI providers: OpenAI, Anthropic, Hugging Face, Cohere, Perplexity, Private AI, Kore.ai, and the model and tool
 * providers an AI workflow calls that gitleaks has no rule for (xAI, Groq, Replicate, Tavily, LangSmith, NVIDIA,
 * Jina, Together, Fireworks, Cerebras, Voyage, ElevenLabs, Pinecone).
 */
import type { Rule } from '../types';
import { looksRandom, shannonEntropy, UUID_RE } from '../values';
import { E, keyed, token } from './define';
import { UUID } from './shapes';

export const AI_RULES: Rule[] = [
  {
    id: 'anthropic-key',
    description: 'Anthropic API key (sk-ant-…)',
    label: 'ANTHROPIC_API_KEY',
    priority: 2,
    bounded: true,
    keywords: ['sk-ant-'],
    regex: new RegExp(`sk-ant-(?:api|admin|sid)?\\d{0,3}-?[A-Za-z0-9_-]{20,200}${E}`, 'g'),
    covers: ['anthropic-api-key', 'anthropic-admin-api-key'],
  },
  {
    id: 'openai-key',
    description: 'OpenAI API key (sk-…, sk-proj-…, sk-svcacct-…)',
    label: 'OPENAI_API_KEY',
    priority: 2,
    bounded: true,
    keywords: ['sk-'],
    regex: new RegExp(`sk-(?!ant-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,200}${E}`, 'g'),
    validate: (secret) =>
      looksRandom(secret.replace(/^sk-(?:proj-|svcacct-|admin-|None-)?/, ''), { minLength: 20 }),
    covers: ['openai-api-key'],
  },
  {
    id: 'huggingface-token',
    description: 'Hugging Face token (hf_…)',
    label: 'HF_TOKEN',
    priority: 2,
    bounded: true,
    keywords: ['hf_'],
    regex: new RegExp(`hf_[A-Za-z0-9]{30,40}${E}`, 'g'),
    validate: (secret) => looksRandom(secret.slice(3), { minLength: 30 }) || shannonEntropy(secret) > 4,
    covers: ['huggingface-access-token'],
  },
  token(
    'huggingface-token',
    'Hugging Face organisation token (api_org_…)',
    ['api_org_'],
    'api_org_[A-Za-z]{34}',
    { covers: ['huggingface-organization-api-token'], label: 'HF_TOKEN', entropy: 2 },
  ),
  keyed('cohere-api-token', 'Cohere API key', ['cohere', 'co_api_key'], '[a-zA-Z0-9]{40}', { entropy: 4 }),
  token('perplexity-api-key', 'Perplexity API key (pplx-…)', ['pplx-'], 'pplx-[a-zA-Z0-9]{48}', {
    entropy: 4,
  }),
  token('xai-api-key', 'xAI API key (xai-…)', ['xai-'], 'xai-[A-Za-z0-9]{80}', { entropy: 4, covers: [] }),
  token('groq-api-key', 'Groq API key (gsk_…)', ['gsk_'], 'gsk_[A-Za-z0-9]{52}', { entropy: 4, covers: [] }),
  token('replicate-api-token', 'Replicate API token (r8_…)', ['r8_'], 'r8_[A-Za-z0-9]{37}', {
    entropy: 4,
    covers: [],
  }),
  token('tavily-api-key', 'Tavily API key (tvly-…)', ['tvly-'], 'tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}', {
    entropy: 3.5,
    covers: [],
  }),
  token(
    'langsmith-api-key',
    'LangSmith API key (lsv2_pt_…, lsv2_sk_…)',
    ['lsv2_'],
    'lsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}',
    { entropy: 3, covers: [] },
  ),
  keyed(
    'privateai-api-token',
    'Private AI API key',
    ['privateai', 'private_ai', 'private-ai'],
    '[a-z0-9]{32}',
    { names: 'private[_-]?ai' },
  ),
  {
    id: 'kore-api-key',
    description: 'Kore.ai / AI for Process API key (kg-<uuid>-… , kg-…)',
    label: 'KORE_API_KEY',
    priority: 2,
    bounded: true,
    keywords: ['kg-'],
    regex: new RegExp(
      `kg-(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?:-[A-Za-z0-9]{1,64})*|[A-Za-z0-9]{24,128}(?:-[A-Za-z0-9]{1,64})*)${E}`,
      'g',
    ),
    validate: (secret) =>
      UUID_RE.test(secret.slice(3, 39)) || looksRandom(secret.slice(3), { minLength: 24 }),
    covers: [],
  },
  // Model and tool providers an AI workflow calls, with formats of their own (no gitleaks rule).
  token('nvidia-api-key', 'NVIDIA API key (nvapi-…)', ['nvapi-'], 'nvapi-[A-Za-z0-9_-]{64}', {
    entropy: 4,
    covers: [],
  }),
  token('jina-api-key', 'Jina AI API key (jina_…)', ['jina_'], 'jina_[A-Za-z0-9_-]{40,80}', {
    validate: (secret) => looksRandom(secret.slice(5), { minLength: 40 }),
    covers: [],
  }),
  token('together-api-key', 'Together AI API key (tgp_v1_…)', ['tgp_v1_'], 'tgp_v1_[A-Za-z0-9_-]{40,64}', {
    entropy: 4,
    covers: [],
  }),
  token('fireworks-api-key', 'Fireworks AI API key (fw_…)', ['fw_'], 'fw_[A-Za-z0-9]{24,48}', {
    validate: (secret) => looksRandom(secret.slice(3), { minLength: 24 }),
    covers: [],
  }),
  token('cerebras-api-key', 'Cerebras API key (csk-…)', ['csk-'], 'csk-[a-z0-9]{48}', {
    validate: (secret) => looksRandom(secret.slice(4), { minLength: 48 }),
    covers: [],
  }),
  token('voyage-api-key', 'Voyage AI API key (pa-…)', ['pa-'], 'pa-[A-Za-z0-9_-]{43}', {
    validate: (secret) => looksRandom(secret.slice(3), { minLength: 43 }),
    covers: [],
  }),
  token('elevenlabs-api-key', 'ElevenLabs API key (sk_ and 48 hex digits)', ['sk_'], 'sk_[a-f0-9]{48}', {
    validate: (secret) => looksRandom(secret.slice(3), { minLength: 48 }),
    covers: [],
  }),
  token(
    'pinecone-api-key',
    'Pinecone API key (pcsk_…)',
    ['pcsk_'],
    'pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{40,80}',
    { entropy: 4, covers: [] },
  ),
  token('langfuse-secret-key', 'Langfuse secret key (sk-lf- and a UUID)', ['sk-lf-'], `sk-lf-${UUID}`, {
    covers: [],
  }),
  token('firecrawl-api-key', 'Firecrawl API key (fc- and 32 hex digits)', ['fc-'], 'fc-[a-f0-9]{32}', {
    validate: (secret) => looksRandom(secret.slice(3), { minLength: 32 }),
    covers: [],
  }),
];
