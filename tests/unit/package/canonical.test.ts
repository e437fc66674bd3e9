import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  canonicalKeyOrder,
  canonicalOrder,
  canonicalPackage,
  stableStringify,
} from '../../../lib/package/canonical';
import { diffPackages, formatDiff } from '../../../lib/package/diff';
import { redactVersion } from '../../../lib/redaction/redactor';
import { canonicalJson } from '../../../lib/package/zip-write';
import type { PackageContent } from '../../../lib/package/schemas';
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

/** A seeded Banking Assistant version, redacted as the extension exports it. */
async function bankingExport(versionId: string): Promise<PackageContent> {
  const workflow = createSeedState().workflows.find((w) => w.id === WORKFLOWS.banking.id)!;
  const version = workflow.versions.find((v) => v.id === versionId)!;
  const { content } = await redactVersion(
    {
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
    },
    { fingerprintKey: 'test-key' },
  );
  return canonicalPackage(content);
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
  });

  it('walks any depth without recursion, keeping undefined members out as JSON does', () => {
    let deep: unknown = { leaf: true, skip: undefined };
    for (let i = 0; i < 5000; i++) deep = { z: deep, a: i };
    const ordered = canonicalOrder(deep) as { a: number; z: unknown };
    expect(Object.keys(ordered)).toEqual(['a', 'z']);
    expect(canonicalJson({ x: 1, skip: undefined })).toBe(stableStringify({ skip: undefined, x: 1 }));
  });
});

describe('packages in git', () => {
  it('two neighbouring versions differ line by line only where Compare and porter diff say they do', async () => {
    const v2 = await bankingExport(WORKFLOWS.banking.versions.v2);
    const v3 = await bankingExport(WORKFLOWS.banking.versions.v3);
    const repo = mkdtempSync(join(tmpdir(), 'porter-git-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
          cwd: repo,
          encoding: 'utf8',
        });
      const write = (content: PackageContent) => {
        writeFileSync(join(repo, 'app_definition.json'), canonicalJson(content.app));
        writeFileSync(join(repo, 'flow_definition.json'), canonicalJson(content.flow));
        writeFileSync(join(repo, 'env_variables.json'), canonicalJson(content.env));
      };
      git('init', '-q');
      write(v2);
      git('add', '.');
      git('commit', '-qm', 'v2');
      // The same version exported again, its keys in another order: git sees nothing.
      write({ app: canonicalPackage(reversedKeys(v2) as PackageContent).app, flow: v2.flow, env: v2.env });
      expect(git('status', '--porcelain')).toBe('');
      write(v3);

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
      // porter diff on the two zips says the same as Compare.
      const { writePackageZip } = await import('../../../lib/package/zip-write');
      writeFileSync(join(repo, 'v2.zip'), await writePackageZip(v2));
      writeFileSync(join(repo, 'v3.zip'), await writePackageZip(v3));
      const cli = await porter(['diff', 'v2.zip', 'v3.zip'], { cwd: repo });
      expect(cli.code).toBe(1);
      expect(cli.stdout).toBe(`${formatDiff(diff)}\n`);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
