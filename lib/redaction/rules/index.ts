/**
 * Every provider rule, one table per family. Order matters only for equal priorities (the first wins an
 * overlap); adding a rule adds its keywords to the scanner's one automaton, not a pass over the text.
 */
import type { Rule } from '../types';
import { AI_RULES } from './ai';
import { CLOUD_RULES } from './cloud';
import { CODE_RULES } from './code';
import { FORMAT_RULES } from './formats';
import { MESSAGING_RULES } from './messaging';
import { PAYMENT_RULES } from './payments';
import { SAAS_RULES } from './saas';

/** The families, for documentation and tests. */
export const RULE_FAMILIES: ReadonlyArray<{ name: string; rules: readonly Rule[] }> = [
  { name: 'Private keys, tokens and manifests', rules: FORMAT_RULES },
  { name: 'AI providers', rules: AI_RULES },
  { name: 'Cloud, infrastructure and observability', rules: CLOUD_RULES },
  { name: 'Code hosting, registries and CI/CD', rules: CODE_RULES },
  { name: 'Messaging, e-mail and social', rules: MESSAGING_RULES },
  { name: 'Payments, commerce and finance', rules: PAYMENT_RULES },
  { name: 'Productivity and data services', rules: SAAS_RULES },
];

export const PROVIDER_RULES: readonly Rule[] = RULE_FAMILIES.flatMap((family) => family.rules);
