/**
 * The "about 20 MB" input of the core benchmark: a raw version record (platform-contract.md §6) shaped like the
 * sandbox's Claims Flow 2000 record, with the flow built by the sandbox's own generator (`generateClaimsFlow`) at a
 * larger node count, and a realistic sprinkling of secrets typed into ordinary fields (a literal bearer token in an
 * API node's headers, a hard-coded key in a function node, a password in a connection URL), so the redaction has real
 * work to do. Deterministic: the same bytes on every run and machine.
 */
import { createHash } from 'node:crypto';
import { generateClaimsFlow } from '../tests/sandbox/generate.ts';

/** Bytes per node of the generated flow as compact JSON (measured: 2,000 nodes ≈ 3.58 MB). */
const BYTES_PER_NODE = 1_790;

const hex = (label: string, length: number) =>
  createHash('sha256').update(`afp-bench:${label}`).digest('hex').slice(0, length);
const b64url = (label: string, bytes: number) =>
  Buffer.from(hex(`${label}:a`, 64) + hex(`${label}:b`, 64), 'hex')
    .toString('base64url')
    .slice(0, bytes);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** Injects inline secrets into every `every`-th node of the given type; returns how many were injected. */
function sprinkleSecrets(nodes: JsonObject[]): number {
  let injected = 0;
  let api = 0;
  let fn = 0;
  let integration = 0;
  for (const node of nodes) {
    const config = node.config as JsonObject;
    if (node.type === 'api' && ++api % 150 === 0) {
      const jwt = [
        Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url'),
        Buffer.from(JSON.stringify({ sub: `svc-${api}`, aud: 'claims-api', iat: 1735689600 })).toString(
          'base64url',
        ),
        b64url(`jwt:${api}`, 43),
      ].join('.');
      (config.headers as JsonObject[]).push({ key: 'Authorization', value: `Bearer ${jwt}` });
      injected++;
    } else if (
      node.type === 'function' &&
      typeof config.code === 'string' &&
      config.code &&
      ++fn % 200 === 0
    ) {
      config.code = `const apiKey = "sk_live_51Nx${b64url(`stripe:${fn}`, 60).replace(/[-_]/g, 'Q')}";\n${config.code}`;
      injected++;
    } else if (node.type === 'integration' && ++integration % 60 === 0) {
      config.connectionUrl = `postgres://claims_app:${hex(`pg:${integration}`, 20)}@db.claims.internal:5432/claims`;
      injected++;
    }
  }
  return injected;
}

export interface LargeRecord {
  record: JsonObject;
  nodes: number;
  inlineSecrets: number;
}

/**
 * A raw version record of about `targetBytes` of compact JSON, built on `template` (the Claims Flow 2000 record as
 * the sandbox serves it): same workflow/version/app/env shape, a bigger generated flow.
 */
export function buildLargeRecord(template: JsonObject, targetBytes = 20_000_000): LargeRecord {
  const record = structuredClone(template);
  const others = JSON.stringify({ ...record, flow: null }).length;
  const nodes = Math.max(100, Math.round((targetBytes - others) / BYTES_PER_NODE));
  const flow = generateClaimsFlow(nodes, 20_020) as unknown as { schemaVersion: string; nodes: JsonObject[] };
  const inlineSecrets = sprinkleSecrets(flow.nodes);
  record.flow = flow as unknown as JsonObject;
  const workflow = record.workflow as JsonObject;
  workflow.name = 'Claims Flow 20 MB';
  workflow.description = `Insurance claims processing at scale (${nodes} nodes, generated for the benchmarks).`;
  return { record, nodes, inlineSecrets };
}
