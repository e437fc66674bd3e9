import type { FlowGraph, GraphLayout } from '../../lib/package/graph';

/**
 * One detailed layout per graph: the viewer asks for it when a package is read and again each time the Flow
 * view is shown; ELK works once and every later ask gets the same answer.
 */
export function oncePerGraph(
  layout: (graph: FlowGraph) => Promise<GraphLayout>,
): (graph: FlowGraph) => Promise<GraphLayout> {
  const made = new WeakMap<FlowGraph, Promise<GraphLayout>>();
  return (graph) => {
    let answer = made.get(graph);
    if (!answer) made.set(graph, (answer = layout(graph)));
    return answer;
  };
}
