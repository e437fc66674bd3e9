/**
 * A flow as a graph to draw: nodes, success and failure connections, and where each goes on the page.
 *
 * ELK's layered layout places the nodes (see elkInput / fromElk); quickLayout gives a plain layered picture
 * at once, drawn while ELK works. A failure route to a handler that many nodes share (the error End nodes of a
 * large flow) spans the whole flow: laid out as an edge it would cost the layout hundreds of thousands of
 * bend points and the reader a curtain of lines, so in a large flow it is drawn as a short labelled stub.
 */
import type { FlowNode } from './schemas.ts';

export type Outcome = 'onSuccess' | 'onFailure';

export interface GraphNode {
  id: string;
  name: string;
  type: string;
  /** Position in flow_definition.json's `nodes`. */
  index: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  outcome: Outcome;
}

export interface FlowGraph {
  nodes: GraphNode[];
  /** Connections drawn as lines, and laid out. */
  edges: GraphEdge[];
  /** Failure routes to a shared handler: drawn as a stub naming the target. */
  stubs: GraphEdge[];
}

/** In a flow of more nodes than this, a failure handler reached from more than SHARED_HANDLER_SOURCES nodes… */
export const LARGE_FLOW_NODES = 200;
/** …is shared: routes to it are stubs. */
export const SHARED_HANDLER_SOURCES = 3;

export function flowGraph(flow: { nodes: readonly FlowNode[] }): FlowGraph {
  const ids = new Set(flow.nodes.map((node) => node.id));
  const large = flow.nodes.length > LARGE_FLOW_NODES;
  const failureSources = new Map<string, number>();
  for (const node of flow.nodes)
    for (const target of node.connections?.onFailure ?? [])
      failureSources.set(target, (failureSources.get(target) ?? 0) + 1);
  const edges: GraphEdge[] = [];
  const stubs: GraphEdge[] = [];
  for (const node of flow.nodes) {
    for (const outcome of ['onSuccess', 'onFailure'] as const) {
      for (const to of node.connections?.[outcome] ?? []) {
        if (!ids.has(to)) continue;
        const edge = { from: node.id, to, outcome };
        const shared =
          large && outcome === 'onFailure' && (failureSources.get(to) ?? 0) > SHARED_HANDLER_SOURCES;
        (shared ? stubs : edges).push(edge);
      }
    }
  }
  return {
    nodes: flow.nodes.map((node, index) => ({ id: node.id, name: node.name, type: node.type, index })),
    edges,
    stubs,
  };
}

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 48;
const LAYER_GAP = 60;
const NODE_GAP = 20;

export interface PlacedNode {
  id: string;
  x: number;
  y: number;
}

export interface PlacedEdge extends GraphEdge {
  /** From the source's border to the target's, bends included. */
  points: [number, number][];
}

export interface GraphLayout {
  engine: 'quick' | 'elk';
  /** ELK's answer kept from an earlier visit or from the export, not worked out again. */
  remembered?: boolean;
  width: number;
  height: number;
  /** Top-left corners; every node is NODE_WIDTH × NODE_HEIGHT. */
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Layer of each node: the longest path of laid-out edges leading to it (a cycle is cut where it closes). */
function layers(graph: FlowGraph): Map<string, number> {
  const out = new Map<string, string[]>();
  const indegree = new Map(graph.nodes.map((node) => [node.id, 0]));
  for (const edge of graph.edges) {
    if (edge.from === edge.to) continue;
    (out.get(edge.from) ?? out.set(edge.from, []).get(edge.from)!).push(edge.to);
    indegree.set(edge.to, (indegree.get(edge.to) ?? 0) + 1);
  }
  const layer = new Map<string, number>();
  const queue = graph.nodes.filter((node) => indegree.get(node.id) === 0).map((node) => node.id);
  for (const id of queue) layer.set(id, 0);
  const visit = (start: string[]) => {
    for (let i = 0; i < start.length; i++) {
      const id = start[i]!;
      for (const next of out.get(id) ?? []) {
        layer.set(next, Math.max(layer.get(next) ?? 0, layer.get(id)! + 1));
        const left = indegree.get(next)! - 1;
        indegree.set(next, left);
        if (left === 0) start.push(next);
      }
    }
  };
  visit(queue);
  // Nodes on a cycle never reach indegree 0: start from the first one left, in file order.
  for (const node of graph.nodes) {
    if (layer.has(node.id)) continue;
    layer.set(node.id, 0);
    indegree.set(node.id, 0);
    visit([node.id]);
  }
  return layer;
}

/**
 * A layered picture in one linear pass: layers left to right, wrapped into rows so that a long flow stays
 * about as wide as it is high; edges as straight lines. Good enough to read while ELK works.
 */
export function quickLayout(graph: FlowGraph): GraphLayout {
  const layerOf = layers(graph);
  const byLayer: string[][] = [];
  for (const node of graph.nodes) (byLayer[layerOf.get(node.id)!] ??= []).push(node.id);
  const perRow =
    graph.nodes.length > LARGE_FLOW_NODES
      ? Math.max(1, Math.ceil(Math.sqrt(byLayer.length * 2)))
      : byLayer.length;
  const position = new Map<string, PlacedNode>();
  let top = 0;
  let width = 0;
  for (let row = 0; row * perRow < byLayer.length; row++) {
    let tallest = 0;
    for (let column = 0; column < perRow; column++) {
      const ids = byLayer[row * perRow + column] ?? [];
      const x = column * (NODE_WIDTH + LAYER_GAP);
      ids.forEach((id, k) => position.set(id, { id, x, y: top + k * (NODE_HEIGHT + NODE_GAP) }));
      tallest = Math.max(tallest, ids.length);
      if (ids.length) width = Math.max(width, x + NODE_WIDTH);
    }
    top += tallest * (NODE_HEIGHT + NODE_GAP) + LAYER_GAP;
  }
  const nodes = graph.nodes.map((node) => position.get(node.id)!);
  const edges = graph.edges.map((edge) => {
    const a = position.get(edge.from)!;
    const b = position.get(edge.to)!;
    return {
      ...edge,
      points: [
        [a.x + NODE_WIDTH, a.y + NODE_HEIGHT / 2],
        [b.x, b.y + NODE_HEIGHT / 2],
      ] as [number, number][],
    };
  });
  return { engine: 'quick', width, height: Math.max(0, top - LAYER_GAP), nodes, edges };
}

// ---------------------------------------------------------------------------------------------------------
// ELK

/** The part of ELK's JSON graph used here (elkjs' ElkNode, without depending on its types in lib/). */
export interface ElkGraph {
  id: string;
  layoutOptions?: Record<string, string>;
  children?: { id: string; width?: number; height?: number; x?: number; y?: number }[];
  edges?: {
    id: string;
    sources: string[];
    targets: string[];
    sections?: {
      startPoint: { x: number; y: number };
      endPoint: { x: number; y: number };
      bendPoints?: { x: number; y: number }[];
    }[];
  }[];
  width?: number;
  height?: number;
}

/**
 * Layered, left to right, wrapped into rows when the flow is long (ELK's MULTI_EDGE wrapping), straight
 * polyline edges: orthogonal routing costs more than the whole rest of the layout at 2,000 nodes.
 */
export const ELK_OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': String(NODE_GAP),
  'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
};
/**
 * A large flow is wrapped (a small one reads best on one line) and laid out with ELK's cheaper steps, measured
 * on Claims Flow 2000 (a long chain with skips): one crossing-minimization pass without the greedy switch
 * (which only removed a few crossings among thousands of nodes) and one Brandes-Köpf alignment instead of four
 * balanced (fewer bends here). Same layered picture, a fraction of the time: docs/benchmarks.md.
 */
export const LARGE_FLOW_OPTIONS: Record<string, string> = {
  'elk.layered.wrapping.strategy': 'MULTI_EDGE',
  'elk.aspectRatio': '1.6',
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  'elk.layered.nodePlacement.bk.fixedAlignment': 'LEFTDOWN',
};

export function elkInput(graph: FlowGraph): ElkGraph {
  return {
    id: 'flow',
    layoutOptions:
      graph.nodes.length > LARGE_FLOW_NODES ? { ...ELK_OPTIONS, ...LARGE_FLOW_OPTIONS } : ELK_OPTIONS,
    children: graph.nodes.map((node) => ({ id: node.id, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: graph.edges.map((edge, i) => ({ id: `e${i}`, sources: [edge.from], targets: [edge.to] })),
  };
}

/**
 * Whether a flow is laid out ahead of the viewer when it is exported: a large one (ELK lays a smaller one out in
 * well under a second, not worth a worker).
 */
export function layOutAtExport(flow: { nodes: readonly FlowNode[] }): boolean {
  return flow.nodes.length > LARGE_FLOW_NODES;
}

/** The viewer's ELK input for a flow laid out at export (the same input, so the same key in the layout memory). */
export function aheadOfTimeInput(flow: { nodes: readonly FlowNode[] }): ElkGraph | undefined {
  return layOutAtExport(flow) ? elkInput(flowGraph(flow)) : undefined;
}

/**
 * A few nodes laid out with the large-flow options, sent to a new ELK worker: loading ELK's code and setting up
 * the classes of those steps (a few hundred milliseconds the first time) then happens while the package is
 * still being read, not after.
 */
export function elkWarmUp(): ElkGraph {
  const ids = ['a', 'b', 'c', 'd'];
  const graph: FlowGraph = {
    nodes: ids.map((id, index) => ({ id, name: id, type: 'api', index })),
    edges: [
      ...ids.slice(1).map((to, i) => ({ from: ids[i]!, to, outcome: 'onSuccess' as const })),
      { from: 'a', to: 'd', outcome: 'onFailure' },
    ],
    stubs: [],
  };
  return { ...elkInput(graph), layoutOptions: { ...ELK_OPTIONS, ...LARGE_FLOW_OPTIONS } };
}

/** ELK's answer for {@link elkInput}(graph) as a layout; a node ELK left out keeps the quick position. */
export function fromElk(graph: FlowGraph, result: ElkGraph): GraphLayout {
  const placed = new Map((result.children ?? []).map((child) => [child.id, child]));
  const nodes = graph.nodes.map((node) => {
    const child = placed.get(node.id);
    return { id: node.id, x: child?.x ?? 0, y: child?.y ?? 0 };
  });
  const sections = new Map((result.edges ?? []).map((edge) => [edge.id, edge.sections?.[0]]));
  const edges = graph.edges.map((edge, i) => {
    const section = sections.get(`e${i}`);
    const points: [number, number][] = section
      ? [section.startPoint, ...(section.bendPoints ?? []), section.endPoint].map((p) => [p.x, p.y])
      : [];
    return { ...edge, points };
  });
  return { engine: 'elk', width: result.width ?? 0, height: result.height ?? 0, nodes, edges };
}

/** Nodes whose name or type contains every word of the query (any letter case), in file order. */
export function findNodes(graph: FlowGraph, query: string, limit = 50): GraphNode[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const found: GraphNode[] = [];
  for (const node of graph.nodes) {
    const text = `${node.name} ${node.type}`.toLocaleLowerCase();
    if (words.every((word) => text.includes(word))) found.push(node);
    if (found.length >= limit) break;
  }
  return found;
}

/** The line (1-based) where a node's object starts in canonical flow_definition.json text, or 0. */
export function nodeLine(flowText: string, nodeId: string): number {
  const at = flowText.indexOf(`\n      "id": ${JSON.stringify(nodeId)}`);
  if (at < 0) return 0;
  let line = 1;
  for (let i = flowText.indexOf('\n'); i >= 0 && i < at; i = flowText.indexOf('\n', i + 1)) line++;
  // The node's `{` is the line before its "id".
  return line;
}
