/**
 * Packages that live well in git: one key order for every object in a package, whatever order the platform
 * (or an editor) wrote them in, so that two exports of neighbouring versions differ, line by line, only where
 * the workflow differs. Indentation is the package writer's (two spaces, a final newline: zip-write.ts).
 *
 * The order: the keys a person reads first, in the order the product's own export uses (a node's id, name and
 * type before its position, configuration and connections), then every other key in code-point order. Arrays
 * keep their order: a list's order may mean something (inputs, headers, branches), a key's never does.
 *
 * Every package is written in this order: the export's final leak check (lib/redaction/leak-check.ts) orders the
 * redacted content before it serializes it, so the text it scans is the text the zip holds.
 */
import {
  canonicalJson,
  canonicalJsonLength,
  hasToJson,
  jsonContainerLength,
  jsonLeafLength,
  jsonMemberLength,
} from './zip-write.ts';
import type { PackageContent } from './schemas.ts';
import { sortSmall } from '../sort-small.ts';

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

/** One step of a LEADING_KEYS pattern: pattern `pattern` has matched its first `at` parts. */
type Step = readonly [pattern: number, at: number];

/**
 * Where an object sits, as far as LEADING_KEYS can tell: the steps of the patterns that can still match below
 * it (a small automaton, so a walk never compares paths). Places are made as a walk reaches them and shared
 * by every object at the same kind of place, and by every walk: there are few of them (keys no pattern names
 * at a place all lead to one child), and code that runs over long-lived places stays optimized.
 */
class Place {
  /** The keys the steps name here; every other key leads to `other`. */
  private readonly names = new Set<string>();
  private readonly children = new Map<string, Place>();
  private other: Place | undefined;
  /** The keys read first at this place: those of the first pattern that ends here. */
  readonly leading: readonly string[];

  constructor(private readonly steps: readonly Step[]) {
    const ended = steps.find(([pattern, at]) => at === LEADING_KEYS[pattern]![0].length);
    this.leading = ended ? LEADING_KEYS[ended[0]]![1] : [];
    for (const [pattern, at] of steps) {
      const part = LEADING_KEYS[pattern]![0][at];
      if (part !== undefined && part !== '*' && part !== '**') this.names.add(part);
    }
  }

  /** The place of a member under `key` (array elements are under `*`). */
  child(key: string): Place {
    if (!this.names.has(key)) return (this.other ??= this.stepTo(undefined));
    let next = this.children.get(key);
    if (!next) this.children.set(key, (next = this.stepTo(key)));
    return next;
  }

  /** The place one step down under `key` (undefined: a key no step names). */
  private stepTo(key: string | undefined): Place {
    const steps: Step[] = [];
    for (const [pattern, at] of this.steps) {
      const part = LEADING_KEYS[pattern]![0][at];
      if (part === '**') steps.push([pattern, at]);
      else if (part === '*' || (key !== undefined && part === key)) steps.push([pattern, at + 1]);
    }
    return placeOf(steps);
  }
}

/** Every place made so far, by its steps. */
const PLACES = new Map<string, Place>();

/** The shared place of these steps (`**` may also match nothing: its next part is a step too). */
function placeOf(steps: readonly Step[]): Place {
  const closed: Step[] = [];
  for (const step of steps) {
    closed.push(step);
    for (let [pattern, at] = step; LEADING_KEYS[pattern]![0][at] === '**'; at++)
      closed.push([pattern, at + 1]);
  }
  const id = closed.map(([pattern, at]) => `${pattern}:${at}`).join(' ');
  let place = PLACES.get(id);
  if (!place) PLACES.set(id, (place = new Place(closed)));
  return place;
}

const ROOT = placeOf(LEADING_KEYS.map((_, pattern) => [pattern, 0] as const));

function placeAt(path: Path): Place {
  let place = ROOT;
  for (const part of path) place = place.child(part);
  return place;
}

/** True when `keys` are in canonical order already: the leading ones present, in order, then the rest sorted. */
function inCanonicalOrder(keys: readonly string[], leading: readonly string[]): boolean {
  let at = 0;
  for (const key of leading) {
    if (keys[at] === key) at++;
    else if (keys.includes(key)) return false;
  }
  for (let i = at + 1; i < keys.length; i++) if (!(keys[i - 1]! < keys[i]!)) return false;
  return true;
}

/** `keys` in canonical order: `keys` itself when they are (most objects), else a new array. */
function keyOrder(keys: readonly string[], leading: readonly string[]): readonly string[] {
  if (inCanonicalOrder(keys, leading)) return keys;
  const first = leading.filter((key) => keys.includes(key));
  const rest = sortSmall(keys.filter((key) => !first.includes(key)));
  return first.length ? [...first, ...rest] : rest;
}

/** The keys of an object at `path` in canonical order. */
export function canonicalKeyOrder(keys: readonly string[], path: Path = []): string[] {
  return [...keyOrder(keys, placeAt(path).leading)];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** An array or plain object being walked. */
interface Frame {
  source: unknown[] | Record<string, unknown>;
  /** The object's keys in canonical order; null for an array. */
  keys: readonly string[] | null;
  /** For an object, its place; for an array, its elements' place. */
  place: Place;
  length: number;
  /** The member being walked. */
  at: number;
  /**
   * The members' canonical values so far, once the copy differs from the source (a key moved, a member
   * changed); null while it does not, so that an unchanged container costs no copy.
   */
  values: unknown[] | null;
  /** `jsonMemberLength` of the members so far (NaN once one is not plain JSON data) and their number. */
  bytes: number;
  members: number;
}

function frameOf(source: unknown, place: Place): Frame | null {
  let frame: Frame;
  if (Array.isArray(source)) {
    const length = source.length;
    frame = {
      source,
      keys: null,
      place: place.child('*'),
      length,
      at: 0,
      values: null,
      bytes: 0,
      members: 0,
    };
  } else if (isPlainObject(source)) {
    const own = Object.keys(source);
    const keys = keyOrder(own, place.leading);
    const values = keys === own ? null : [];
    frame = { source, keys, place, length: keys.length, at: 0, values, bytes: 0, members: 0 };
  } else return null;
  // JSON.stringify writes what toJSON returns: counted by writing it (see canonicalOrderCounted).
  if (hasToJson(source)) frame.bytes = Number.NaN;
  return frame;
}

function member(frame: Frame, i: number): unknown {
  return frame.keys
    ? (frame.source as Record<string, unknown>)[frame.keys[i]!]
    : (frame.source as unknown[])[i];
}

/** The frame's copy, or its source itself when nothing in it changed. */
function finish(frame: Frame): unknown {
  if (!frame.values) return frame.source;
  if (!frame.keys) return frame.values;
  const copy: Record<string, unknown> = {};
  frame.keys.forEach((key, i) => {
    // An own "__proto__" member (JSON.parse makes one) stays a member, as JSON.stringify expects.
    if (key === '__proto__')
      Object.defineProperty(copy, key, {
        value: frame.values![i],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else copy[key] = frame.values![i];
  });
  return copy;
}

/**
 * Records the canonical value of the frame's current member (`length`: its JSON bytes, as `jsonLeafLength`
 * gives them) and moves on to the next; `level` is the frame's nesting.
 */
function settle(frame: Frame, value: unknown, length: number | undefined, level: number): void {
  if (length === -1) frame.bytes = Number.NaN;
  else if (!frame.keys) {
    // An array writes `null` for what an object leaves out.
    frame.bytes += jsonMemberLength(undefined, length ?? 4, level);
    frame.members++;
  } else if (length !== undefined) {
    frame.bytes += jsonMemberLength(frame.keys[frame.at], length, level);
    frame.members++;
  }
  if (frame.values) frame.values.push(value);
  else if (value !== member(frame, frame.at)) {
    // The first change: the copy starts with the members before it, as they are.
    const values: unknown[] = [];
    for (let i = 0; i < frame.at; i++) values.push(member(frame, i));
    values.push(value);
    frame.values = values;
  }
  frame.at++;
}

/** A value in canonical order and the UTF-8 length of its `canonicalJson`. */
export interface Counted<T> {
  value: T;
  length: number;
}

/**
 * `canonicalOrder(value)` and the length of its canonical text, counted on the same walk (the package writer
 * needs the length before it writes): only a value that holds more than plain JSON data (toJSON, a class
 * instance, a bigint) is written to be counted.
 */
export function canonicalOrderCounted<T>(value: T, path: Path = []): Counted<T> {
  const root = frameOf(value, placeAt(path));
  if (!root) {
    const length = jsonLeafLength(value);
    return { value, length: length === undefined || length < 0 ? canonicalJsonLength(value) : length + 1 };
  }
  const stack: Frame[] = [root];
  for (;;) {
    const frame = stack[stack.length - 1]!;
    if (frame.at < frame.length) {
      const source = member(frame, frame.at);
      const child =
        typeof source === 'object' && source !== null
          ? frameOf(source, frame.keys ? frame.place.child(frame.keys[frame.at]!) : frame.place)
          : null;
      if (child) stack.push(child);
      else settle(frame, source, jsonLeafLength(source), stack.length - 1);
      continue;
    }
    stack.pop();
    const done = finish(frame);
    const length = jsonContainerLength(frame.bytes, frame.members, stack.length);
    const parent = stack[stack.length - 1];
    if (!parent) {
      const ordered = done as T;
      return { value: ordered, length: Number.isNaN(length) ? canonicalJsonLength(ordered) : length + 1 };
    }
    settle(parent, done, length, stack.length - 1);
  }
}

/**
 * `value` with every object's keys in canonical order. Objects and arrays in which nothing moves are shared
 * with `value`, not copied; the walk is iterative (any nesting depth).
 */
export function canonicalOrder<T>(value: T, path: Path = []): T {
  return canonicalOrderCounted(value, path).value;
}

/**
 * The package's content in canonical order (each file's root is its own path root), and the UTF-8 sizes of
 * its three files (app, flow, env) as the package writer writes them.
 */
export function canonicalPackageCounted(content: PackageContent): {
  content: PackageContent;
  sizes: number[];
} {
  const app = canonicalOrderCounted(content.app);
  const flow = canonicalOrderCounted(content.flow);
  const env = canonicalOrderCounted(content.env);
  return {
    content: { app: app.value, flow: flow.value, env: env.value },
    sizes: [app.length, flow.length, env.length],
  };
}

/** The package's content in canonical order (each file's root is its own path root). */
export function canonicalPackage(content: PackageContent): PackageContent {
  return canonicalPackageCounted(content).content;
}

/** Canonical text of a JSON value: canonical key order, two-space indentation, a final newline. */
export function stableStringify(value: unknown): string {
  return canonicalJson(canonicalOrder(value));
}
