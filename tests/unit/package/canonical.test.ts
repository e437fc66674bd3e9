import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalKeyOrder,
  canonicalOrder,
  canonicalOrderCounted,
  stableStringify,
} from '../../../lib/package/canonical';
import { diffPackages, formatDiff } from '../../../lib/package/diff';
import { redactVersion } from '../../../lib/redaction/redactor';
import { canonicalJson, zipFiles } from '../../../lib/package/zip-write';
import { readPackageFiles } from '../../../lib/package/zip-read';
import { compactPackage, restoreZip, sha256Hex } from '../../../lib/store/compact';
import { createSeedState, WORKFLOWS } from '../../sandbox/seed';
import { composeApp } from '../../sandbox/package';
import { porter } from '../cli/helpers';

/** Shuffles every object's keys (reversed), as another tool or an editor might write them. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reversedKeys(v)]),
    );
  return value;
}

/** The raw version record of a seeded Banking Assistant version, as the sandbox serves it. */
function bankingRecord(versionId: string) {
  const workflow = createSeedState().workflows.find((w) => w.id === WORKFLOWS.banking.id)!;
  const version = workflow.versions.find((v) => v.id === versionId)!;
  return {
    workflow: { id: workflow.id, name: workflow.name, description: workflow.description },
    version: {
      id: version.id,
      name: version.name,
      description: version.description,
      state: version.state,
      createdAt: version.createdAt,
    },
    app: composeApp(workflow, version),
    flow: version.flow,
    env: version.env,
  };
}

const FINGERPRINT_KEY = 'test-key';

/** A record exported as the extension exports it (redacted, the files its final check scanned, zipped). */
async function exportOf(record: unknown) {
  const { files } = await redactVersion(record, { fingerprintKey: FINGERPRINT_KEY, files: true });
  const [app, flow, env] = files.map((file) => new TextDecoder().decode(file.data)) as [
    string,
    string,
    string,
  ];
  return {
    texts: { app, flow, env },
    content: readPackageFiles({ app, flow, env }).content,
    zip: await zipFiles(files),
  };
}

describe('canonical key order', () => {
  it('gives the same text whatever order the keys came in', () => {
    const node = {
      id: 'n1',
      name: 'API',
      type: 'api',
      position: { x: 1, y: 2 },
      config: { url: 'u', method: 'GET', b: [3, 1, 2] },
      connections: { onSuccess: [], onFailure: ['n2'] },
      zeta: 1,
      alpha: 2,
    };
    const flow = { schemaVersion: '1.0', nodes: [node] };
    expect(stableStringify(reversedKeys(flow))).toBe(stableStringify(flow));
    const [first] = (canonicalOrder(reversedKeys(flow)) as typeof flow).nodes;
    expect(Object.keys(first!)).toEqual([
      'id',
      'name',
      'type',
      'position',
      'config',
      'connections',
      'alpha',
      'zeta',
    ]);
    expect(Object.keys(first!.config)).toEqual(['method', 'url', 'b'].sort());
    expect(first!.config.b).toEqual([3, 1, 2]);
    expect(Object.keys(first!.connections)).toEqual(['onSuccess', 'onFailure']);
    expect(stableStringify(flow)).toMatch(
      /^\{\n {2}"schemaVersion": "1\.0",\n {2}"nodes": \[\n {4}\{\n {6}"id": "n1",/,
    );
  });

  it('reads keys a person looks for first, by where an object sits', () => {
    expect(canonicalKeyOrder(['notes', 'value', 'secure', 'name'], ['variables', '*'])).toEqual([
      'name',
      'value',
      'secure',
      'notes',
    ]);
    expect(canonicalKeyOrder(['value', 'key'], ['nodes', '*', 'config', 'request', 'headers', '*'])).toEqual([
      'key',
      'value',
    ]);
    expect(canonicalKeyOrder(['b', 'a', 'B'], ['nodes', '*', 'config'])).toEqual(['B', 'a', 'b']);
    // Keys no pattern names: code-point order, for a few keys as for many.
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'binary' }), { maxLength: 80 }), (keys) => {
        const sorted = [...keys].sort();
        return JSON.stringify(canonicalKeyOrder(keys, ['nodes', '*', 'config'])) === JSON.stringify(sorted);
      }),
      { numRuns: 500 },
    );
  });

  it('walks any depth without recursion, keeping undefined members out as JSON does', () => {
    let deep: unknown = { leaf: true, skip: undefined };
    for (let i = 0; i < 5000; i++) deep = { z: deep, a: i };
    const ordered = canonicalOrder(deep) as { a: number; z: unknown };
    expect(Object.keys(ordered)).toEqual(['a', 'z']);
    expect(canonicalJson({ x: 1, skip: undefined })).toBe(stableStringify({ skip: undefined, x: 1 }));
  });

  it('counts the bytes of the canonical text on the way, whatever the value holds', () => {
    const encoder = new TextEncoder();
    const counts = (value: unknown, path: string[] = []) => {
      const { value: ordered, length } = canonicalOrderCounted(value, path);
      return length === encoder.encode(canonicalJson(ordered)).length;
    };
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => counts(value) && counts(value, ['nodes', '0'])),
      { numRuns: 1000 },
    );
    // Escapes, lone surrogates, multi-byte characters in keys and values, leading keys that move; what JSON
    // leaves out of an object or writes as null in an array; toJSON, a class instance, deep nesting.
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const node = { z: text, [text]: [text, undefined], type: 'x', id: text, f: [-0, Number.NaN, 1e21] };
        return counts({ nodes: [node, { skip: undefined, g: () => 1, s: Symbol('s') }], schemaVersion: '1' });
      }),
      { numRuns: 500 },
    );
    let deep: unknown = { leaf: 'é' };
    for (let i = 0; i < 1000; i++) deep = { z: deep, a: [i] };
    for (const value of [deep, { when: new Date(0), n: [{ toJSON: () => 'x\u00e9' }] }, 'text', 3, null])
      expect(counts(value)).toBe(true);
  });
});

describe('packages in git', () => {
  it('two exports of neighbouring versions, their keys shuffled, differ line by line only where Compare and porter diff say', async () => {
    // The platform (or an editor) wrote v2's keys in another order than v3's.
    const exportedV2 = await exportOf(reversedKeys(bankingRecord(WORKFLOWS.banking.versions.v2)));
    const exportedV3 = await exportOf(bankingRecord(WORKFLOWS.banking.versions.v3));
    const [v2, v3] = [exportedV2.content, exportedV3.content];
    const repo = mkdtempSync(join(tmpdir(), 'porter-git-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
          cwd: repo,
          encoding: 'utf8',
        });
      const write = ({ texts }: { texts: { app: string; flow: string; env: string } }) => {
        writeFileSync(join(repo, 'app_definition.json'), texts.app);
        writeFileSync(join(repo, 'flow_definition.json'), texts.flow);
        writeFileSync(join(repo, 'env_variables.json'), texts.env);
      };
      git('init', '-q');
      write(exportedV2);
      git('add', '.');
      git('commit', '-qm', 'v2');
      // The same version exported again, its keys in the platform's order: git sees nothing.
      write(await exportOf(bankingRecord(WORKFLOWS.banking.versions.v2)));
      expect(git('status', '--porcelain')).toBe('');
      write(exportedV3);

      // Lines git shows as changed in the flow file, by the node (name) they sit in, on either side. A line
      // whose only difference is a node id (the platform regenerates them in every version) is no change: it
      // reads the same once each id is replaced by its node's name.
      const sides = ([v2, v3] as const).map((content) => {
        const lines = canonicalJson(content.flow).split('\n');
        const names = new Map(content.flow.nodes.map((node) => [node.id, node.name]));
        const starts = content.flow.nodes.map((node) => ({
          name: node.name,
          start: lines.indexOf(`      "id": ${JSON.stringify(node.id)},`) + 1,
        }));
        return {
          text: (line: number) => lines[line - 1] ?? '',
          named: (line: number) =>
            (lines[line - 1] ?? '').replace(/n-[0-9a-f-]{18}/g, (id) => names.get(id) ?? id),
          owner: (line: number) => starts.filter((s) => s.start > 0 && s.start <= line).at(-1)?.name,
        };
      });
      const changedNodes = new Set<string>();
      const flowDiff = git('diff', '-U0', '--', 'flow_definition.json');
      for (const hunk of flowDiff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)) {
        const ranges = [
          { from: Number(hunk[1]), count: Number(hunk[2] ?? 1) },
          { from: Number(hunk[3]), count: Number(hunk[4] ?? 1) },
        ];
        ranges.forEach(({ from, count }, side) => {
          for (let i = 0; i < count; i++) {
            const line = from + i;
            const other = ranges[1 - side]!;
            if (i < other.count && sides[side]!.named(line) === sides[1 - side]!.named(other.from + i))
              continue;
            // Brackets alone say nothing of their own; git may align them with a neighbour's.
            if (/^\s*[[\]{}],?$/.test(sides[side]!.text(line))) continue;
            const owner = sides[side]!.owner(line);
            if (owner) changedNodes.add(owner);
          }
        });
      }
      const diff = diffPackages(v2, v3);
      const compareNodes = new Set([
        ...diff.flow.nodesAdded.map((n) => n.name),
        ...diff.flow.nodesRemoved.map((n) => n.name),
        ...diff.flow.nodesChanged.map((n) => n.after.name),
      ]);
      // Nodes whose only change is a new connection show in git on the node's connections lines.
      const connected = new Set(
        [...diff.flow.connectionsAdded, ...diff.flow.connectionsRemoved].map((c) => c.from),
      );
      expect(compareNodes.size).toBeGreaterThan(0);
      expect([...changedNodes].filter((name) => !compareNodes.has(name) && !connected.has(name))).toEqual([]);
      expect([...compareNodes].filter((name) => !changedNodes.has(name))).toEqual([]);

      // The other two files: git shows a change exactly where the diff has one.
      const changedFiles = git('diff', '--name-only').trim().split('\n').sort();
      const expectedFiles = [
        diff.app.length > 0 && 'app_definition.json',
        (diff.env.added.length ||
          diff.env.removed.length ||
          diff.env.changed.length ||
          diff.env.fields.length) > 0 && 'env_variables.json',
        'flow_definition.json',
      ].filter(Boolean);
      expect(changedFiles).toEqual(expectedFiles);
      // porter diff on the two exported zips says the same as Compare.
      writeFileSync(join(repo, 'v2.zip'), exportedV2.zip);
      writeFileSync(join(repo, 'v3.zip'), exportedV3.zip);
      const cli = await porter(['diff', 'v2.zip', 'v3.zip'], { cwd: repo });
      expect(cli.code).toBe(1);
      expect(cli.stdout).toBe(`${formatDiff(diff)}\n`);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('porter pack writes the very bytes the extension exports, whatever order the record’s keys came in', async () => {
    const record = bankingRecord(WORKFLOWS.banking.versions.v3);
    const exported = await exportOf(record);
    expect((await exportOf(reversedKeys(record))).zip).toEqual(exported.zip);
    const dir = mkdtempSync(join(tmpdir(), 'porter-pack-'));
    try {
      writeFileSync(join(dir, 'record.json'), JSON.stringify(reversedKeys(record)));
      const cli = await porter(['pack', 'record.json', '-o', 'v3.zip'], {
        cwd: dir,
        env: { PORTER_FINGERPRINT_KEY: FINGERPRINT_KEY },
      });
      expect(cli.code).toBe(0);
      expect(new Uint8Array(readFileSync(join(dir, 'v3.zip')))).toEqual(exported.zip);
      // The library keeps it compact and gives the same zip back.
      const sha = await sha256Hex(exported.zip);
      const compact = await compactPackage(exported.zip, sha);
      expect(compact.format).toBe('files-deflate');
      expect(await sha256Hex(await restoreZip(compact))).toBe(sha);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
