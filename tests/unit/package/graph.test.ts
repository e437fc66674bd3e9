import { describe, expect, it } from 'vitest';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import { generateClaimsFlow } from '../../sandbox/generate';
import {
  ELK_OPTIONS,
  LARGE_FLOW_NODES,
  aheadOfTimeInput,
  LARGE_FLOW_OPTIONS,
  NODE_HEIGHT,
  NODE_WIDTH,
  elkInput,
  elkWarmUp,
  findNodes,
  flowGraph,
  fromElk,
  nodeLine,
  quickLayout,
  type ElkGraph,
} from '../../../lib/package/graph';
import { canonicalJson } from '../../../lib/package/zip-write';
import type { FlowNode } from '../../../lib/package/schemas';
import { bankingContent } from '../banking-package';

const node = (id: string, onSuccess: string[] = [], onFailure: string[] = []): FlowNode => ({
  id,
  name: `Node ${id}`,
  type: id === 's' ? 'start' : 'api',
  config: {},
  connections: { onSuccess, onFailure },
});

describe('flow graph', () => {
  it('tells success from failure connections, and in a large flow makes routes to a shared failure handler stubs', () => {
    const filler = Array.from({ length: LARGE_FLOW_NODES }, (_, i) => node(`f${i}`));
    const graph = flowGraph({
      nodes: [
        ...filler,
        node('s', ['a']),
        node('a', ['b'], ['err', 'local']),
        node('b', ['c'], ['err']),
        node('c', ['d'], ['err']),
        node('d', [], ['err', 'gone']),
        node('err'),
        node('local'),
      ],
    });
    expect(graph.edges).toContainEqual({ from: 'a', to: 'local', outcome: 'onFailure' });
    expect(graph.edges.filter((edge) => edge.outcome === 'onSuccess')).toHaveLength(4);
    expect(graph.stubs).toEqual(
      ['a', 'b', 'c', 'd'].map((from) => ({ from, to: 'err', outcome: 'onFailure' })),
    );
    // A connection to a node that is not in the flow is not drawn.
    expect(JSON.stringify(graph)).not.toContain('gone');
    // A small flow draws every connection.
    const small = flowGraph({
      nodes: [
        node('a', [], ['err']),
        node('b', [], ['err']),
        node('c', [], ['err']),
        node('d', [], ['err']),
        node('err'),
      ],
    });
    expect(small.stubs).toEqual([]);
    expect(small.edges).toHaveLength(4);
  });

  it('lays out layers left to right at once, every node placed without overlap, cycles included', () => {
    const graph = flowGraph({
      nodes: [node('s', ['a', 'b']), node('a', ['c']), node('b', ['c']), node('c', ['a'])],
    });
    const layout = quickLayout(graph);
    const at = new Map(layout.nodes.map((n) => [n.id, n]));
    expect(at.get('s')!.x).toBeLessThan(at.get('a')!.x);
    expect(at.get('a')!.x).toBe(at.get('b')!.x);
    expect(at.get('a')!.y).not.toBe(at.get('b')!.y);
    expect(layout.nodes).toHaveLength(4);
    expect(layout.edges.every((edge) => edge.points.length === 2)).toBe(true);
    expect(layout.width).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(layout.height).toBeGreaterThanOrEqual(NODE_HEIGHT);
  });

  it('wraps a long chain into rows instead of one very wide line', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `n${i}`);
    const graph = flowGraph({ nodes: ids.map((id, i) => node(id, i + 1 < ids.length ? [ids[i + 1]!] : [])) });
    const layout = quickLayout(graph);
    expect(layout.width / layout.height).toBeLessThan(4);
  });

  it('reads ELK’s layered layout back for every node and edge', async () => {
    const graph = flowGraph(bankingContent().flow);
    const result = (await new ELK().layout(elkInput(graph) as ElkNode)) as unknown as ElkGraph;
    const layout = fromElk(graph, result);
    expect(layout.engine).toBe('elk');
    expect(layout.nodes.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id));
    const start = layout.nodes[0]!;
    const end = layout.nodes.find((n) => n.id === graph.nodes.at(-1)!.id)!;
    expect(start.x).toBeLessThan(end.x);
    expect(layout.edges.every((edge) => edge.points.length >= 2)).toBe(true);
  });

  it('lays out a large flow with the cheaper large-flow steps: wrapped into rows, no node over another', async () => {
    const large = flowGraph(generateClaimsFlow(LARGE_FLOW_NODES + 50) as unknown as { nodes: FlowNode[] });
    const input = elkInput(large);
    expect(input.layoutOptions).toEqual({ ...ELK_OPTIONS, ...LARGE_FLOW_OPTIONS });
    expect(elkInput(flowGraph(bankingContent().flow)).layoutOptions).toEqual(ELK_OPTIONS);

    const layout = fromElk(large, (await new ELK().layout(input as ElkNode)) as unknown as ElkGraph);
    expect(layout.width / layout.height).toBeLessThan(4);
    const byX = [...layout.nodes].sort((a, b) => a.x - b.x);
    const overlapping = byX.filter((a, i) =>
      byX.slice(i + 1).some((b) => b.x < a.x + NODE_WIDTH && Math.abs(b.y - a.y) < NODE_HEIGHT),
    );
    expect(overlapping).toEqual([]);
    expect(layout.edges.every((edge) => edge.points.length >= 2)).toBe(true);
  });

  it('lays out ahead (at export) only a large flow, with the very input the viewer gives ELK', () => {
    const large = generateClaimsFlow(LARGE_FLOW_NODES + 1) as unknown as { nodes: FlowNode[] };
    expect(aheadOfTimeInput(large)).toEqual(elkInput(flowGraph(large)));
    expect(aheadOfTimeInput(bankingContent().flow)).toBeUndefined();
  });

  it('warms ELK up with a small graph laid out by the same large-flow steps', async () => {
    const input = elkWarmUp();
    expect(input.layoutOptions).toEqual({ ...ELK_OPTIONS, ...LARGE_FLOW_OPTIONS });
    const result = (await new ELK().layout(input as ElkNode)) as unknown as ElkGraph;
    expect(result.children?.every((child) => child.x !== undefined && child.y !== undefined)).toBe(true);
    expect(result.edges?.map((edge) => edge.sections?.length)).toEqual([1, 1, 1, 1]);
  });

  it('finds nodes by name or type and the line each starts on in the file', () => {
    const content = bankingContent();
    const graph = flowGraph(content.flow);
    expect(findNodes(graph, 'api').map((n) => n.name)).toEqual(['API0001']);
    expect(findNodes(graph, 'AI0')).toHaveLength(1);
    expect(findNodes(graph, '  ')).toEqual([]);
    const text = canonicalJson(content.flow);
    const line = nodeLine(text, graph.nodes[1]!.id);
    expect(text.split('\n')[line - 1]).toBe('    {');
    expect(text.split('\n')[line]).toContain(graph.nodes[1]!.id);
    expect(nodeLine(text, 'nope')).toBe(0);
  });
});
