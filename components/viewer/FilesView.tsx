/**
 * Files: each of the package's files, formatted, searchable, copyable and downloadable. Only the lines in
 * sight are in the page (a 2,000-node flow file has ~100,000 lines), so opening or scrolling a large file
 * never blocks the page.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatBytes } from '../../lib/format';
import { utf8Length } from '../../lib/package/zip-write';

export interface ViewerFile {
  name: string;
  text: string;
}

/** Pixel height of one line (page.css `.lines`), and lines rendered beyond the visible ones. */
export const LINE_HEIGHT = 18;
const OVERSCAN = 40;
const VISIBLE_FALLBACK = 40;

function fileHref(name: string, line?: number): string {
  const params = new URLSearchParams({ file: name, ...(line ? { line: String(line) } : {}) });
  return `files?${params}`;
}

export function FilesView(props: {
  files: ViewerFile[];
  file?: string;
  line?: number;
  /** Builds the address of this view for a file and line (see route.ts). */
  href: (query: string) => string;
  onDownload: (file: ViewerFile) => void;
}) {
  const selected = props.files.find((f) => f.name === props.file) ?? props.files[0];
  if (!selected) return <p>This package has no files.</p>;
  return (
    <div class="files">
      <nav aria-label="Files" class="file-list">
        <ul>
          {props.files.map((f) => (
            <li key={f.name}>
              <a href={props.href(fileHref(f.name))} aria-current={f === selected ? 'page' : undefined}>
                {f.name}
              </a>{' '}
              <span class="muted">{formatBytes(utf8Length(f.text))}</span>
            </li>
          ))}
        </ul>
      </nav>
      <FileText key={selected.name} file={selected} line={props.line} onDownload={props.onDownload} />
    </div>
  );
}

function FileText({
  file,
  line,
  onDownload,
}: {
  file: ViewerFile;
  line?: number;
  onDownload: (file: ViewerFile) => void;
}) {
  const lines = useMemo(() => file.text.replace(/\n$/, '').split('\n'), [file.text]);
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(VISIBLE_FALLBACK * LINE_HEIGHT);
  const [query, setQuery] = useState('');
  const [match, setMatch] = useState(0);
  const [copied, setCopied] = useState('');
  const [marked, setMarked] = useState(line ?? 0);

  const matches = useMemo(() => {
    const q = query.toLocaleLowerCase();
    if (!q) return [];
    const found: number[] = [];
    lines.forEach((text, i) => {
      if (text.toLocaleLowerCase().includes(q)) found.push(i + 1);
    });
    return found;
  }, [lines, query]);

  const scrollTo = (target: number) => {
    setMarked(target);
    const element = box.current;
    if (!element) return;
    const y = Math.max(0, (target - 1) * LINE_HEIGHT - element.clientHeight / 3);
    element.scrollTop = y;
    setTop(y);
  };
  useEffect(() => {
    if (box.current?.clientHeight) setHeight(box.current.clientHeight);
    if (line) scrollTo(line);
  }, [line]);
  useEffect(() => {
    setMatch(0);
    if (matches.length) scrollTo(matches[0]!);
  }, [matches]);

  const step = (delta: number) => {
    if (!matches.length) return;
    const next = (match + delta + matches.length) % matches.length;
    setMatch(next);
    scrollTo(matches[next]!);
  };
  const first = Math.max(0, Math.floor(top / LINE_HEIGHT) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((top + height) / LINE_HEIGHT) + OVERSCAN);
  const digits = String(lines.length).length;

  return (
    <section class="file" aria-label={file.name}>
      <div class="toolbar">
        <label for="file-search">Find in {file.name}</label>
        <input
          id="file-search"
          type="search"
          value={query}
          onInput={(event) => setQuery((event.target as HTMLInputElement).value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') step(event.shiftKey ? -1 : 1);
          }}
        />
        <button type="button" onClick={() => step(-1)} disabled={!matches.length}>
          Previous
        </button>
        <button type="button" onClick={() => step(1)} disabled={!matches.length}>
          Next
        </button>
        <span aria-live="polite" class="muted">
          {query ? (matches.length ? `${match + 1} of ${matches.length}` : 'no match') : ''}
        </span>
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(file.text).then(
              () => setCopied(`Copied ${file.name}.`),
              () => setCopied('The browser did not allow copying.'),
            )
          }
        >
          Copy
        </button>
        <button type="button" onClick={() => onDownload(file)}>
          Download
        </button>
        <span role="status">{copied}</span>
      </div>
      <div
        ref={box}
        class="lines"
        tabIndex={0}
        role="region"
        aria-label={`${file.name}, ${lines.length} lines`}
        onScroll={(event) => setTop((event.currentTarget as HTMLDivElement).scrollTop)}
      >
        <div style={{ height: `${lines.length * LINE_HEIGHT}px`, position: 'relative' }}>
          <pre class="lines-window" style={{ top: `${first * LINE_HEIGHT}px` }}>
            {lines.slice(first, last).map((text, i) => {
              const number = first + i + 1;
              return (
                <div key={number} class={number === marked ? 'line marked' : 'line'} data-line={number}>
                  <span class="line-number" aria-hidden="true">
                    {String(number).padStart(digits)}
                  </span>
                  {text}
                </div>
              );
            })}
          </pre>
        </div>
      </div>
    </section>
  );
}
