/**
 * A secret typed wherever users type secrets in a workflow, in every syntax, never reaches the package, its
 * report, or anything `porter pack` and `porter scan` print.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactVersion } from '../../../lib/redaction/redactor';
import { isWordish, shannonEntropy } from '../../../lib/redaction/values';
import { bankingContent } from '../banking-package';
import { porter, tempDir } from '../cli/helpers';
import { SAMPLES } from './rule-samples';
import { SECRET_NAMES, SYNTAXES } from './syntaxes';

type Json = Record<string, unknown>;
type Place = (record: Json, line: string, name: string, value: string) => void;

const node = (record: Json, index: number) =>
  ((record.flow as { nodes: Json[] }).nodes[index]!.config ?? {}) as Json;
const addNode = (record: Json, type: string, config: Json) =>
  (record.flow as { nodes: Json[] }).nodes.splice(1, 0, {
    id: `n-${type}-x`,
    name: `${type.toUpperCase()}9001`,
    type,
    position: { x: 0, y: 0 },
    config,
    connections: { onSuccess: [], onFailure: [] },
  });

/** Where the line (or the value alone, where a field holds only a value) is put. */
const PLACES: Record<string, Place> = {
  'URL query': (record, _line, name, value) => {
    node(record, 1).url = `https://crm.example.com/customers?${name}=${encodeURIComponent(value)}`;
  },
  'JavaScript code': (record, line) =>
    addNode(record, 'function', { language: 'javascript', code: `// setup\n${line}\nreturn 1;` }),
  'Python code': (record, line) =>
    addNode(record, 'function', { language: 'python', code: `import os\n${line}\n` }),
  'non-secure env value': (record, line) => {
    (record.env as { variables: Json[] }).variables.push({
      name: 'SETUP_SNIPPET',
      value: line,
      secure: false,
    });
  },
  'JSON request body': (record, _line, name, value) => {
    node(record, 1).body = {
      contentType: 'application/json',
      content: JSON.stringify({ customer: 'c-1', auth: { [name]: value } }),
    };
  },
  'AI prompt': (record, line) => {
    node(record, 2).prompt = `Answer the customer. Tool setup:\n${line}\nBe brief.`;
  },
  'neutral-named header': (record, _line, _name, value) => {
    (node(record, 1).headers as Json[]).push({ key: 'X-Partner', value });
  },
};

function record(): Json {
  const content = bankingContent() as unknown as Json;
  return {
    workflow: { id: 'a-1', name: 'Banking Assistant', description: '' },
    version: { id: 'v-1', name: 'v1' },
    ...structuredClone(content),
  };
}

/** A random-looking secret with no provider format: letters of both cases and digits, as a generator makes them
 * (`Aaaaaa12Qzaaaab…`, mostly one letter, is not one, nor `AaaaaA10QzaAabbcacefgdhij`, which reads as words
 * and numbers run together: `isWordish`). */
const genericSecret = fc
  .tuple(fc.stringMatching(/^[A-Za-z0-9]{20,32}$/), fc.integer({ min: 10, max: 99 }))
  .map(([body, n]) => `${body.slice(0, 6)}${n}Qz${body.slice(6)}`)
  .filter(
    (s) =>
      /[a-z]/.test(s) &&
      /[A-Z]/.test(s) &&
      new Set(s).size >= 14 &&
      shannonEntropy(s) >= 3.5 &&
      !isWordish(s),
  );
/** A provider token (one that stands on its own, not one that needs its provider's name). */
const providerSecret = fc.constantFrom(
  ...Object.values(SAMPLES)
    .flatMap((s) => s.find)
    .filter(([text, secret]) => text === `please use ${secret} for this call`)
    .map(([, secret]) => secret),
);

const hidden = (text: string, secret: string) =>
  !text.includes(secret) &&
  !text.includes(encodeURIComponent(secret)) &&
  !text.includes(JSON.stringify(secret).slice(1, -1)) &&
  !text.includes(secret.slice(-10));

describe('a secret in every place, in every syntax', () => {
  let dir: { path: string; remove(): Promise<void> };
  beforeAll(async () => {
    dir = await tempDir('porter-places-');
  });
  afterAll(() => dir.remove());

  it('never appears in the package, the report, or what porter prints', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(genericSecret, providerSecret),
        fc.constantFrom(...SECRET_NAMES),
        fc.constantFrom(...Object.keys(SYNTAXES)),
        fc.constantFrom(...Object.keys(PLACES)),
        async (secret, name, syntax, place) => {
          const raw = record();
          PLACES[place]!(raw, SYNTAXES[syntax]!(name, secret), name, secret);
          const result = await redactVersion(raw);
          const text = JSON.stringify(result.content) + JSON.stringify(result.report);
          expect(hidden(text, secret), `${place} / ${syntax} / ${name}`).toBe(true);

          const file = join(dir.path, 'record.json');
          await writeFile(file, JSON.stringify(raw));
          const packed = await porter(['pack', 'record.json', '-o', 'out.zip', '--json'], { cwd: dir.path });
          expect(packed.code, packed.stderr).toBe(0);
          const scanned = await porter(['scan', 'record.json'], { cwd: dir.path });
          expect(scanned.code, 'the scan finds it').toBe(1);
          for (const run of [packed, scanned]) expect(hidden(run.stdout + run.stderr, secret)).toBe(true);
        },
      ),
      // Random seeds (PLACES_SEED repeats one): a bare token under a neutral header name is found however its
      // letters run (`tokenShaped`), and one that starts with `my` is no placeholder.
      { numRuns: 120, ...(process.env.PLACES_SEED ? { seed: Number(process.env.PLACES_SEED) } : {}) },
    );
  });
});
