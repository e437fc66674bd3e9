/**
 * A package read for the viewer, from its own bytes as an import would read it: the content validated by the
 * core's reader (its specific errors on failure), and each file's text formatted as the package writes it.
 * The overview's summary, the flow's graph and its quick layout are made here too: in the viewer this runs in
 * a worker, and on a 2,000-node flow they are tens of milliseconds that would otherwise block the page.
 */
import { readPackageZip, readZipEntries } from '../../lib/package/zip-read';
import { canonicalJson } from '../../lib/package/zip-write';
import { isPackageError, type PackageProblem } from '../../lib/package/errors';
import type { PackageContent } from '../../lib/package/schemas';
import { summarizeContent, type ContentSummary } from '../../lib/package/summary';
import { flowGraph, quickLayout, type FlowGraph, type GraphLayout } from '../../lib/package/graph';
import type { ViewerFile } from './FilesView';

export interface ReadPackage {
  content: PackageContent;
  files: ViewerFile[];
  warnings: string[];
  summary: ContentSummary;
  graph: FlowGraph;
  /** The graph laid out at once (quickLayout), shown while ELK works. */
  quick: GraphLayout;
}

export interface ReadFailure {
  code: string;
  message: string;
  problems: PackageProblem[];
}

/** A file's JSON formatted with 2-space indentation (as packages are written); anything else as it is. */
function formatted(text: string): string {
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
}

export function readForViewer(bytes: Uint8Array): ReadPackage {
  const { content, warnings } = readPackageZip(bytes);
  const decoder = new TextDecoder();
  const files = readZipEntries(bytes).map((entry) => {
    const text = decoder.decode(entry.data);
    // Ours are formatted already; a file from another tool may be one long line.
    return { name: entry.name, text: text.includes('\n  ') ? text : formatted(text) };
  });
  const graph = flowGraph(content.flow);
  return { content, files, warnings, summary: summarizeContent(content), graph, quick: quickLayout(graph) };
}

export function failureOf(error: unknown): ReadFailure {
  if (isPackageError(error)) return { code: error.code, message: error.message, problems: error.problems };
  return { code: 'UNREADABLE', message: 'The file could not be read as a package.', problems: [] };
}
