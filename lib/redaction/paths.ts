/**
 * JSON paths built while walking a package (a linked list from the leaf up: O(1) to extend, put into words
 * only where something is reported), and the small helpers the walks of the redactor, the scan and the leak
 * check share.
 */
import { formatIssuePath } from '../package/schemas';

export type Segment = string | number;

/** The answer of `findings` for a string with nothing to report (shared: never modified). */
export const NO_FINDINGS: never[] = [];

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `nodes[3].config` from path segments. */
export const pathOf = (segments: readonly Segment[]) => formatIssuePath(segments);

/**
 * A JSON path as a linked list from the leaf up: O(1) to extend while walking; turned into text (`pathOf`)
 * only when something is reported there.
 */
export interface PathNode {
  readonly parent: PathNode | null;
  readonly segment: Segment;
}

export const child = (parent: PathNode | null, segment: Segment): PathNode => ({ parent, segment });

function segmentsOf(node: PathNode | null, last?: Segment): Segment[] {
  const segments: Segment[] = last === undefined ? [] : [last];
  for (let at = node; at; at = at.parent) segments.push(at.segment);
  return segments.reverse();
}

export const pathText = (node: PathNode | null, last?: Segment) => pathOf(segmentsOf(node, last));
