/**
 * Packages that live well in git: one key order for every object in a package, whatever order the platform
 * (or an editor) wrote them in, so that two exports of neighbouring versions differ, line by line, only where
 * the workflow differs. Indentation is the package writer's (two spaces, a final newline: zip-write.ts).
 *
 * The order: the keys a person reads first, in the order the product's own export uses (a node's id, name and
 * type before its position, configuration and connections), then every other key in code-point order. Arrays
 * keep their order: a list's order may mean something (inputs, headers, branches), a key's never does.
 *
 * To be called on a package's content before it is serialized, so the leak check scans the ordered text and the
 * zip holds it: see the report of the library branch for the one call site (lib/package/redact.ts, where
 * `writePackageFiles` receives the values of the redacted content).
 */
import { canonicalJson } from './zip-write.ts';
import type { PackageContent } from './schemas.ts';

type Path = readonly string[];

/** Keys read first, by where the object sits (`*` is any array element, `**` any depth below). */
const LEADING_KEYS: ReadonlyArray<[Path, readonly string[]]> = [
  [[], ['schemaVersion', 'workflow', 'version', 'io', 'execution', 'guardrails', 'nodes', 'variables']],
  [['workflow'], ['name', 'description']],
  [['version'], ['id', 'name', 'description', 'createdAt']],
  [['io'], ['inputs', 'outputs']],
  [
    ['io', 'inputs', '*'],
    ['name', 'type', 'mandatory', 'default', 'enum', 'schema'],
  ],
  [
    ['io', 'outputs', '*'],
    ['name', 'type'],
  ],
  [['execution'], ['syncTimeoutSec', 'async']],
  [
    ['execution', 'async'],
    ['enabled', 'timeoutSec', 'push'],
  ],
  [['guardrails'], ['inputScanners', 'outputScanners']],
  [
    ['guardrails', '*', '*'],
    ['type', 'settings'],
  ],
  [
    ['nodes', '*'],
    ['id', 'name', 'type', 'position', 'config', 'connections'],
  ],
  [
    ['nodes', '*', 'position'],
    ['x', 'y'],
  ],
  [
    ['nodes', '*', 'connections'],
    ['onSuccess', 'onFailure'],
  ],
  [
    ['nodes', '*', 'config', '**', 'headers', '*'],
    ['key', 'value'],
  ],
  [
    ['variables', '*'],
    ['name', 'value', 'secure', 'notes'],
  ],
];

function matches(pattern: Path, path: Path): boolean {
  let p = 0;
  let s = 0;
  while (p < pattern.length) {
    const part = pattern[p]!;
    if (part === '**') {
      // `**` then the rest of the pattern anywhere below.
      const rest = pattern.slice(p + 1);
      for (let from = s; from <= path.length; from++) if (matches(rest, path.slice(from))) return true;
      return false;
    }
    if (s >= path.length || (part !== '*' && part !== path[s])) return false;
    p++;
    s++;
  }
  return s === path.length;
}

function leadingKeys(path: Path): readonly string[] {
  for (const [pattern, keys] of LEADING_KEYS) if (matches(pattern, path)) return keys;
  return [];
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The keys of an object at `path` in canonical order. */
export function canonicalKeyOrder(keys: readonly string[], path: Path = []): string[] {
  const leading = leadingKeys(path).filter((key) => keys.includes(key));
  const rest = keys.filter((key) => !leading.includes(key)).sort(byCodePoint);
  return [...leading, ...rest];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A copy of `value` with every object's keys in canonical order (an iterative walk: any nesting depth). */
export function canonicalOrder<T>(value: T, path: Path = []): T {
  const root: { value: unknown } = { value: undefined };
  const stack: Array<{ source: unknown; path: Path; assign: (copy: unknown) => void }> = [
    { source: value, path, assign: (copy) => (root.value = copy) },
  ];
  while (stack.length) {
    const { source, path: at, assign } = stack.pop()!;
    if (Array.isArray(source)) {
      const copy: unknown[] = new Array<unknown>(source.length);
      assign(copy);
      source.forEach((item, i) =>
        stack.push({ source: item, path: [...at, '*'], assign: (c) => (copy[i] = c) }),
      );
    } else if (isPlainObject(source)) {
      const copy: Record<string, unknown> = {};
      assign(copy);
      for (const key of canonicalKeyOrder(Object.keys(source), at)) {
        // Placeholders keep the order; children are filled in as the walk reaches them.
        copy[key] = undefined;
        stack.push({ source: source[key], path: [...at, key], assign: (c) => (copy[key] = c) });
      }
    } else assign(source);
  }
  return root.value as T;
}

/** The package's content in canonical order (each file's root is its own path root). */
export function canonicalPackage(content: PackageContent): PackageContent {
  return {
    app: canonicalOrder(content.app),
    flow: canonicalOrder(content.flow),
    env: canonicalOrder(content.env),
  };
}

/** Canonical text of a JSON value: canonical key order, two-space indentation, a final newline. */
export function stableStringify(value: unknown): string {
  return canonicalJson(canonicalOrder(value));
}
