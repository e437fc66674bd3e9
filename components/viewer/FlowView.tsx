/**
 * Flow: the workflow as a graph on a canvas (one element, however many nodes: 2,000 nodes stay smooth), laid
 * out by ELK in a worker; a quick layout is drawn at once meanwhile. Pan by dragging or with the arrow keys,
 * zoom with the wheel or + and -, Fit (0) shows it all. Find a node by name or type; a selected node's
 * configuration is shown beside the graph. Success connections are solid lines, failure connections dashed;
 * a failure route to a handler many nodes share is a short dashed stub naming it.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  NODE_HEIGHT,
  NODE_WIDTH,
  findNodes,
  quickLayout,
  type FlowGraph,
  type GraphLayout,
  type GraphNode,
} from '../../lib/package/graph';
import type { FlowNode } from '../../lib/package/schemas';

export type NodeMark = 'added' | 'removed' | 'changed';

export interface FlowViewProps {
  graph: FlowGraph;
  nodes: readonly FlowNode[];
  /** The quick layout if it was made already (off the page's thread); made here otherwise. */
  quick?: GraphLayout;
  /** ELK's layout (in a worker); without it the quick layout stays. */
  layout?: (graph: FlowGraph) => Promise<GraphLayout>;
  selected?: string;
  onSelect: (nodeId: string | undefined) => void;
  /** Compare: nodes to colour as added, removed or changed. */
  marks?: ReadonlyMap<string, NodeMark>;
  /** Called once the ELK layout is drawn (the bench and the tests wait for it). */
  onLaidOut?: (layout: GraphLayout) => void;
  label?: string;
}

interface View {
  x: number;
  y: number;
  scale: number;
}

const MIN_SCALE = 0.02;
const MAX_SCALE = 3;
const STUB = 26;

function fitView(layout: GraphLayout, width: number, height: number): View {
  const pad = 24;
  const scale = Math.min(
    MAX_SCALE,
    Math.max(
      MIN_SCALE,
      Math.min(
        (width - 2 * pad) / Math.max(1, layout.width),
        (height - 2 * pad) / Math.max(1, layout.height),
      ),
    ),
  );
  return {
    scale,
    x: (width - layout.width * scale) / 2,
    y: (height - layout.height * scale) / 2,
  };
}

function colours(element: Element) {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    fg: read('--fg', '#1b2430'),
    bg: read('--bg', '#ffffff'),
    muted: read('--muted', '#5b6675'),
    border: read('--border', '#d7dde5'),
    accent: read('--accent', '#3157d5'),
    danger: read('--danger', '#b42318'),
    added: read('--added-bg', '#dafbe1'),
    removed: read('--removed-bg', '#ffebe9'),
    changed: read('--changed-bg', '#fff8c5'),
  };
}

export function FlowView(props: FlowViewProps) {
  const { graph } = props;
  const quick = useMemo(() => props.quick ?? quickLayout(graph), [graph, props.quick]);
  const [layout, setLayout] = useState<GraphLayout>(quick);
  const [laying, setLaying] = useState(Boolean(props.layout));
  const [problem, setProblem] = useState('');
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useRef<View>({ x: 0, y: 0, scale: 1 });
  const frame = useRef(0);
  const [query, setQuery] = useState('');
  const found = useMemo(() => findNodes(graph, query, 30), [graph, query]);
  const byId = useMemo(() => new Map(graph.nodes.map((node) => [node.id, node])), [graph]);
  const placed = useMemo(() => new Map(layout.nodes.map((node) => [node.id, node])), [layout]);

  useEffect(() => {
    setLayout(quick);
    if (!props.layout) return;
    let current = true;
    setLaying(true);
    props.layout(graph).then(
      (result) => {
        if (!current) return;
        setLayout(result);
        setLaying(false);
      },
      () => {
        if (!current) return;
        setLaying(false);
        setProblem('The detailed layout could not be made; the quick layout is shown.');
      },
    );
    return () => {
      current = false;
    };
  }, [graph]);

  const draw = () => {
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => paint());
  };

  const paint = () => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    const ratio = window.devicePixelRatio || 1;
    const width = element.clientWidth;
    const height = element.clientHeight;
    if (element.width !== Math.round(width * ratio)) element.width = Math.round(width * ratio);
    if (element.height !== Math.round(height * ratio)) element.height = Math.round(height * ratio);
    const c = colours(element);
    const { x, y, scale } = view.current;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.fillStyle = c.bg;
    context.fillRect(0, 0, width, height);
    context.setTransform(ratio * scale, 0, 0, ratio * scale, ratio * x, ratio * y);
    // Only what is in sight is drawn.
    const left = -x / scale;
    const top = -y / scale;
    const right = left + width / scale;
    const bottom = top + height / scale;
    const inSight = (px: number, py: number) =>
      px + NODE_WIDTH >= left && px <= right && py + NODE_HEIGHT + STUB >= top && py <= bottom;

    context.lineWidth = 1.5 / Math.max(scale, 0.5);
    for (const outcome of ['onSuccess', 'onFailure'] as const) {
      context.strokeStyle = outcome === 'onSuccess' ? c.accent : c.danger;
      context.setLineDash(outcome === 'onSuccess' ? [] : [6, 4]);
      context.beginPath();
      for (const edge of layout.edges) {
        if (edge.outcome !== outcome || edge.points.length < 2) continue;
        const [first, ...rest] = edge.points;
        context.moveTo(first![0], first![1]);
        for (const point of rest) context.lineTo(point[0], point[1]);
        const end = edge.points.at(-1)!;
        const before = edge.points.at(-2)!;
        const angle = Math.atan2(end[1] - before[1], end[0] - before[0]);
        context.moveTo(end[0] - 8 * Math.cos(angle - 0.4), end[1] - 8 * Math.sin(angle - 0.4));
        context.lineTo(end[0], end[1]);
        context.lineTo(end[0] - 8 * Math.cos(angle + 0.4), end[1] - 8 * Math.sin(angle + 0.4));
      }
      context.stroke();
    }
    // Stubs to shared failure handlers.
    context.strokeStyle = c.danger;
    context.setLineDash([4, 3]);
    context.beginPath();
    for (const stub of graph.stubs) {
      const from = placed.get(stub.from);
      if (!from || !inSight(from.x, from.y)) continue;
      context.moveTo(from.x + NODE_WIDTH / 2, from.y + NODE_HEIGHT);
      context.lineTo(from.x + NODE_WIDTH / 2, from.y + NODE_HEIGHT + STUB - 8);
    }
    context.stroke();
    context.setLineDash([]);

    const showText = scale >= 0.35;
    context.textBaseline = 'middle';
    const inView = graph.nodes.filter((node) => {
      const at = placed.get(node.id);
      return at && inSight(at.x, at.y);
    });
    // Boxes of one look are one path, filled and stroked once: 2,000 boxes stay one short frame.
    const looks = new Map<string, GraphNode[]>();
    for (const node of inView) {
      const look = `${props.marks?.get(node.id) ?? ''}|${node.id === props.selected ? 'selected' : ''}`;
      (looks.get(look) ?? looks.set(look, []).get(look)!).push(node);
    }
    for (const [look, nodes] of looks) {
      const [mark, selected] = look.split('|') as [NodeMark | '', string];
      context.fillStyle = mark ? c[mark] : c.bg;
      context.strokeStyle = selected ? c.accent : mark ? c.fg : c.border;
      context.lineWidth = selected ? 4 : 1.5;
      context.beginPath();
      for (const node of nodes) {
        const at = placed.get(node.id)!;
        context.roundRect(at.x, at.y, NODE_WIDTH, NODE_HEIGHT, 8);
      }
      context.fill();
      context.stroke();
    }
    if (showText) {
      context.fillStyle = c.fg;
      context.font = '600 13px system-ui, sans-serif';
      for (const node of inView) {
        const at = placed.get(node.id)!;
        context.fillText(node.name, at.x + 10, at.y + 17, NODE_WIDTH - 20);
      }
      context.font = '12px system-ui, sans-serif';
      for (const node of inView) {
        const at = placed.get(node.id)!;
        const mark = props.marks?.get(node.id);
        context.fillText(mark ? `${node.type} · ${mark}` : node.type, at.x + 10, at.y + 34, NODE_WIDTH - 20);
      }
    }
    if (showText) {
      context.fillStyle = c.danger;
      context.font = '11px system-ui, sans-serif';
      for (const stub of graph.stubs) {
        const from = placed.get(stub.from);
        if (!from || !inSight(from.x, from.y)) continue;
        const target = byId.get(stub.to)?.name ?? stub.to;
        context.fillText(
          `on failure → ${target}`,
          from.x + NODE_WIDTH / 2 + 4,
          from.y + NODE_HEIGHT + 14,
          NODE_WIDTH,
        );
      }
    }
  };

  const fit = () => {
    const element = canvas.current;
    if (!element) return;
    view.current = fitView(layout, element.clientWidth || 800, element.clientHeight || 500);
    draw();
  };
  const centreOn = (nodeId: string) => {
    const element = canvas.current;
    const at = placed.get(nodeId);
    if (!element || !at) return;
    const scale = Math.max(view.current.scale, 0.8);
    view.current = {
      scale,
      x: (element.clientWidth || 800) / 2 - (at.x + NODE_WIDTH / 2) * scale,
      y: (element.clientHeight || 500) / 2 - (at.y + NODE_HEIGHT / 2) * scale,
    };
    draw();
  };
  const zoom = (factor: number, cx?: number, cy?: number) => {
    const element = canvas.current;
    const px = cx ?? (element?.clientWidth ?? 800) / 2;
    const py = cy ?? (element?.clientHeight ?? 500) / 2;
    const { x, y, scale } = view.current;
    const next = Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale * factor));
    view.current = { scale: next, x: px - ((px - x) * next) / scale, y: py - ((py - y) * next) / scale };
    draw();
  };
  const pan = (dx: number, dy: number) => {
    view.current = { ...view.current, x: view.current.x + dx, y: view.current.y + dy };
    draw();
  };

  useEffect(() => {
    if (props.selected && placed.has(props.selected)) centreOn(props.selected);
    else fit();
    if (layout.engine === 'elk') props.onLaidOut?.(layout);
  }, [layout]);
  useEffect(() => {
    if (props.selected) centreOn(props.selected);
    else draw();
  }, [props.selected, props.marks]);
  useEffect(() => {
    const element = canvas.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => draw());
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const hit = (clientX: number, clientY: number): GraphNode | undefined => {
    const rect = canvas.current!.getBoundingClientRect();
    const { x, y, scale } = view.current;
    const gx = (clientX - rect.left - x) / scale;
    const gy = (clientY - rect.top - y) / scale;
    const at = layout.nodes.find(
      (node) => gx >= node.x && gx <= node.x + NODE_WIDTH && gy >= node.y && gy <= node.y + NODE_HEIGHT,
    );
    return at && byId.get(at.id);
  };

  const selectedNode = props.selected ? props.nodes.find((node) => node.id === props.selected) : undefined;
  return (
    <div class="flow">
      <div class="toolbar">
        <label for="node-search">Find a node</label>
        <input
          id="node-search"
          type="search"
          placeholder="Name or type"
          value={query}
          onInput={(event) => setQuery((event.target as HTMLInputElement).value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && found[0]) props.onSelect(found[0].id);
          }}
        />
        <button type="button" onClick={() => zoom(1.25)}>
          Zoom in
        </button>
        <button type="button" onClick={() => zoom(0.8)}>
          Zoom out
        </button>
        <button type="button" onClick={fit}>
          Fit
        </button>
        <span class="muted" role="status">
          {graph.nodes.length} nodes ·{' '}
          {laying
            ? 'laying out with ELK, quick layout shown…'
            : problem || (layout.remembered ? 'laid out by ELK (kept from earlier)' : 'laid out by ELK')}
        </span>
      </div>
      {query && (
        <ul class="node-results" aria-label="Nodes found">
          {found.length === 0 && <li class="muted">No node matches.</li>}
          {found.map((node) => (
            <li key={node.id}>
              <button type="button" onClick={() => props.onSelect(node.id)}>
                {node.name} <span class="muted">({node.type})</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="legend muted">
        <span class="legend-success">solid: on success</span> ·{' '}
        <span class="legend-failure">dashed: on failure</span>
        {props.marks && (
          <>
            {' '}
            · <span class="mark-added">added</span> <span class="mark-changed">changed</span>{' '}
            <span class="mark-removed">removed</span>
          </>
        )}
      </p>
      <div class="flow-body">
        <canvas
          ref={canvas}
          class="graph"
          tabIndex={0}
          role="img"
          aria-label={`${props.label ?? 'Flow'}: ${graph.nodes.length} nodes. Arrow keys pan, + and - zoom, 0 fits; find a node above to select it.`}
          onPointerDown={(event) => {
            drag.current = { x: event.clientX, y: event.clientY, moved: false };
            (event.currentTarget as HTMLCanvasElement).setPointerCapture?.(event.pointerId);
          }}
          onPointerMove={(event) => {
            const d = drag.current;
            if (!d) return;
            const dx = event.clientX - d.x;
            const dy = event.clientY - d.y;
            if (Math.abs(dx) + Math.abs(dy) > 3) d.moved = true;
            d.x = event.clientX;
            d.y = event.clientY;
            if (d.moved) pan(dx, dy);
          }}
          onPointerUp={(event) => {
            const d = drag.current;
            drag.current = null;
            if (d && !d.moved) props.onSelect(hit(event.clientX, event.clientY)?.id);
          }}
          onWheel={(event) => {
            event.preventDefault();
            const rect = (event.currentTarget as HTMLCanvasElement).getBoundingClientRect();
            zoom(event.deltaY < 0 ? 1.15 : 0.87, event.clientX - rect.left, event.clientY - rect.top);
          }}
          onKeyDown={(event) => {
            const moves: Record<string, [number, number]> = {
              ArrowLeft: [60, 0],
              ArrowRight: [-60, 0],
              ArrowUp: [0, 60],
              ArrowDown: [0, -60],
            };
            const move = moves[event.key];
            if (move) pan(...move);
            else if (event.key === '+' || event.key === '=') zoom(1.25);
            else if (event.key === '-') zoom(0.8);
            else if (event.key === '0') fit();
            else return;
            event.preventDefault();
          }}
        />
        {selectedNode && (
          <NodeDetails
            node={selectedNode}
            byId={byId}
            onSelect={props.onSelect}
            mark={props.marks?.get(selectedNode.id)}
          />
        )}
      </div>
    </div>
  );
}

function NodeDetails(props: {
  node: FlowNode;
  byId: ReadonlyMap<string, GraphNode>;
  onSelect: (nodeId: string | undefined) => void;
  mark?: NodeMark;
}) {
  const { node } = props;
  const targets = (ids: string[] | undefined) =>
    (ids ?? []).map((id) => (
      <li key={id}>
        <button type="button" class="link" onClick={() => props.onSelect(id)}>
          {props.byId.get(id)?.name ?? id}
        </button>
      </li>
    ));
  return (
    <aside class="node-details" aria-labelledby="node-title">
      <h2 id="node-title">{node.name}</h2>
      <p class="muted">
        {node.type}
        {props.mark ? ` · ${props.mark}` : ''} · id <code>{node.id}</code>
      </p>
      <h3>On success</h3>
      <ul>{targets(node.connections?.onSuccess)}</ul>
      {(node.connections?.onFailure?.length ?? 0) > 0 && (
        <>
          <h3>On failure</h3>
          <ul>{targets(node.connections?.onFailure)}</ul>
        </>
      )}
      <h3>Configuration</h3>
      <pre tabIndex={0} aria-label={`Configuration of ${node.name}`}>
        {JSON.stringify(node.config ?? {}, null, 2)}
      </pre>
      <button type="button" onClick={() => props.onSelect(undefined)}>
        Close
      </button>
    </aside>
  );
}
