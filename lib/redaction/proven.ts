/**
 * The parts of a redacted package the redaction proved clean: arrays and objects its walk returned unchanged
 * after running `findSecrets` on every string in them (keys too) and finding nothing, no known secret value
 * either. The final leak check does not scan them a second time (neither as JSON nor as the serialized
 * text); it scans everything else: what the redaction changed, and the whole package when another detector
 * was used (then nothing is proven).
 */
import { isPlainObject } from './paths';

/** The mark of an object: its strings are judged by their own keys, whatever key the object sits under. */
const ANY_HINT = Symbol('any hint');
type Mark = string | undefined | typeof ANY_HINT;

export class ProvenClean {
  /** Arrays: the hint key their strings were judged with; objects: ANY_HINT. */
  private readonly marks = new WeakMap<object, Mark>();
  /**
   * Proven while walking, not yet in `marks`: only the outermost proven containers are kept (a container
   * proven clean replaces what was proven inside it), so that most containers never cost a mark.
   */
  private readonly pending: object[] = [];
  private readonly pendingMarks: Mark[] = [];

  /** Call on entering a container; pass the answer to `prove` if it turns out clean. */
  enter(): number {
    return this.pending.length;
  }

  /** `value` (an array or object, entered at `entered`) was found clean, its strings judged with `hint`. */
  prove(value: object, hint: string | undefined, entered: number): void {
    this.pending.length = entered;
    this.pendingMarks.length = entered;
    this.pending.push(value);
    this.pendingMarks.push(Array.isArray(value) ? hint : ANY_HINT);
  }

  /** Records `value` as proven (as `prove` does, outside a walk). */
  mark(value: object, hint: string | undefined): void {
    this.prove(value, hint, this.pending.length);
  }

  private settle(): void {
    for (let i = 0; i < this.pending.length; i++) this.marks.set(this.pending[i]!, this.pendingMarks[i]);
    this.pending.length = 0;
    this.pendingMarks.length = 0;
  }

  /** True when `value` was found clean in a place where its strings are judged as they are under `hint`. */
  has(value: unknown, hint: string | undefined): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if (this.pending.length) this.settle();
    const mark = this.marks.get(value);
    return mark === ANY_HINT || (mark === hint && this.marks.has(value));
  }

  /**
   * Carries the marks of `from` over to `to`, its copy with keys in another order (`canonicalOrder`, which
   * shares what it does not move): the copy of a proven array or object holds the very same strings.
   */
  carry(from: unknown, to: unknown): void {
    if (this.pending.length) this.settle();
    if (from === to || typeof from !== 'object' || from === null || typeof to !== 'object' || to === null)
      return;
    if (this.marks.has(from)) {
      this.marks.set(to, this.marks.get(from));
      return;
    }
    if (Array.isArray(from) && Array.isArray(to)) {
      for (let i = 0; i < from.length; i++) this.carry(from[i], to[i]);
    } else if (isPlainObject(from) && isPlainObject(to)) {
      for (const key of Object.keys(from)) this.carry(from[key], to[key]);
    }
  }
}
