/**
 * Where is the first JSON syntax error, as line and column a person can find in an editor?
 *
 * `JSON.parse` messages differ across engines (V8 says "at position 12 (line 2 column 3)", SpiderMonkey
 * "at line 2 column 3", JavaScriptCore gives neither), so we do not read them: when `JSON.parse` fails we
 * run this small, iterative (no recursion, any nesting depth) RFC 8259 scanner to find the offset.
 * Lines are 1-based and counted on `\n`, `\r\n` and lone `\r`; columns are 1-based and counted in code
 * points (what editors show), not UTF-16 units.
 */
import { countKeys, findDuplicateKey, MAX_JSON_DEPTH, measureJson } from './json-structure.ts';

export interface JsonSyntaxError {
  /** UTF-16 offset into the text. */
  offset: number;
  line: number;
  column: number;
  message: string;
}

/** Returns the first syntax error of `text`, or null if the text is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | null {
  const result = scan(text);
  if (!result) return null;
  const { line, column } = lineColumn(text, result.offset);
  return { offset: result.offset, line, column, message: result.message };
}

/**
 * Parses JSON; on failure throws nothing but returns the located error. Also refuses, located, what
 * `JSON.parse` would accept but the walks after it must not see: nesting deeper than MAX_JSON_DEPTH and a
 * key written twice in one object (see json-structure.ts).
 */
export function parseJson(
  text: string,
): { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError } {
  const located = (offset: number, message: string) => ({
    ok: false as const,
    error: { offset, ...lineColumn(text, offset), message },
  });
  const shape = measureJson(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const syntax = findJsonSyntaxError(text);
    if (syntax) return { ok: false, error: syntax };
    if (shape.tooDeepAt < 0) return located(0, String((cause as Error)?.message ?? cause));
  }
  if (shape.tooDeepAt >= 0) {
    return located(
      shape.tooDeepAt,
      `arrays and objects are nested more than ${MAX_JSON_DEPTH} levels deep here; no workflow is, so the file is not read`,
    );
  }
  if (countKeys(value) !== shape.keys) {
    const duplicate = findDuplicateKey(text);
    if (duplicate) {
      const first = lineColumn(text, duplicate.firstOffset);
      return located(
        duplicate.offset,
        `the key ${JSON.stringify(duplicate.key)} is written twice in the same object (first at line ${first.line}, column ${first.column}); JSON readers disagree on which value counts, so the file is not read`,
      );
    }
  }
  return { ok: true, value };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    } else if (c === 13) {
      if (text.charCodeAt(i + 1) !== 10) {
        line++;
        lineStart = i + 1;
      }
    }
  }
  let column = 1;
  for (let i = lineStart; i < end; i++) {
    const c = text.charCodeAt(i);
    // Count a surrogate pair once.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    if (c === 13 && text.charCodeAt(i + 1) === 10) continue;
    column++;
  }
  return { line, column };
}

interface ScanFailure {
  offset: number;
  message: string;
}

/** What the scanner expects next. */
const Expect = {
  Value: 0,
  /** After `[`: a value or `]`. */
  ValueOrArrayEnd: 1,
  /** After `{`: a key or `}`. */
  KeyOrObjectEnd: 2,
  Key: 3,
  Colon: 4,
  /** After a value inside a container: `,` or the closing bracket. */
  CommaOrEnd: 5,
  Done: 6,
} as const;

function describe(text: string, i: number): string {
  if (i >= text.length) return 'the end of the file';
  const cp = text.codePointAt(i)!;
  const ch = String.fromCodePoint(cp);
  if (cp < 0x20) return `a control character (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
  return `"${ch}"`;
}

function scan(text: string): ScanFailure | null {
  const n = text.length;
  let i = 0;
  const stack: number[] = []; // 0x5b '[' or 0x7b '{'
  let expect: number = Expect.Value;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // a BOM is tolerated (TextDecoder strips it anyway)

  const fail = (offset: number, message: string): ScanFailure => ({ offset, message });
  const afterValue = () => {
    expect = stack.length ? Expect.CommaOrEnd : Expect.Done;
  };

  while (true) {
    // skip whitespace
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
    if (i >= n) {
      if (expect === Expect.Done) return null;
      if (stack.length) {
        return fail(
          n,
          `unexpected end of the file: ${stack[stack.length - 1] === 0x7b ? 'an object "{"' : 'an array "["'} is not closed`,
        );
      }
      return fail(n, 'unexpected end of the file: expected a value');
    }
    const c = text.charCodeAt(i);

    switch (expect) {
      case Expect.Done:
        return fail(i, `unexpected ${describe(text, i)} after the end of the JSON value`);
      case Expect.Colon:
        if (c !== 0x3a) return fail(i, `expected ":" after a property name but found ${describe(text, i)}`);
        i++;
        expect = Expect.Value;
        continue;
      case Expect.CommaOrEnd: {
        const top = stack[stack.length - 1]!;
        if (c === 0x2c) {
          i++;
          expect = top === 0x7b ? Expect.Key : Expect.Value;
          // trailing comma check happens in Key/Value
          continue;
        }
        if ((top === 0x5b && c === 0x5d) || (top === 0x7b && c === 0x7d)) {
          stack.pop();
          i++;
          afterValue();
          continue;
        }
        return fail(
          i,
          top === 0x7b
            ? `expected "," or "}" after a property value but found ${describe(text, i)}`
            : `expected "," or "]" after an array element but found ${describe(text, i)}`,
        );
      }
      case Expect.KeyOrObjectEnd:
      case Expect.Key:
        if (c === 0x7d) {
          if (expect === Expect.Key) return fail(i, 'trailing comma before "}"');
          stack.pop();
          i++;
          afterValue();
          continue;
        }
        if (c !== 0x22)
          return fail(i, `expected a property name in double quotes but found ${describe(text, i)}`);
        {
          const end = scanString(text, i);
          if (typeof end !== 'number') return end;
          i = end;
        }
        expect = Expect.Colon;
        continue;
      case Expect.ValueOrArrayEnd:
      case Expect.Value:
        if (c === 0x5d && stack[stack.length - 1] === 0x5b) {
          if (expect === Expect.Value) return fail(i, 'trailing comma before "]"');
          stack.pop();
          i++;
          afterValue();
          continue;
        }
        if (c === 0x7b) {
          stack.push(0x7b);
          i++;
          expect = Expect.KeyOrObjectEnd;
          continue;
        }
        if (c === 0x5b) {
          stack.push(0x5b);
          i++;
          expect = Expect.ValueOrArrayEnd;
          continue;
        }
        if (c === 0x22) {
          const end = scanString(text, i);
          if (typeof end !== 'number') return end;
          i = end;
          afterValue();
          continue;
        }
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
          if (text.startsWith('-Infinity', i) || text.startsWith('-NaN', i))
            return fail(i, notAValue(text, i));
          const end = scanNumber(text, i);
          if (typeof end !== 'number') return end;
          i = end;
          afterValue();
          continue;
        }
        for (const word of ['true', 'false', 'null']) {
          if (text.startsWith(word, i)) {
            i += word.length;
            afterValue();
            break;
          }
        }
        if (expect === Expect.Value || expect === Expect.ValueOrArrayEnd) {
          // no literal matched
          if (c === 0x27) return fail(i, 'strings must use double quotes, not single quotes');
          return fail(i, notAValue(text, i));
        }
        continue;
    }
  }
}

/** What other languages write where JSON has none of it, and what JSON writes instead. */
const NOT_JSON: ReadonlyArray<[RegExp, string]> = [
  [/^-?(?:NaN|Infinity)\b/, 'is not a JSON value (JSON has no NaN or Infinity: write null or a number)'],
  [/^undefined\b/, 'is not a JSON value (write null)'],
  [/^(?:True|False|None)\b/, 'is written the Python way (JSON writes true, false and null)'],
  [/^\/[/*]/, 'is a comment, and JSON has no comments'],
];

function notAValue(text: string, i: number): string {
  for (const [pattern, why] of NOT_JSON) {
    const match = pattern.exec(text.slice(i, i + 12));
    if (match) return `expected a value but found "${match[0]}", which ${why}`;
  }
  return `expected a value but found ${describe(text, i)}`;
}

function scanString(text: string, start: number): number | ScanFailure {
  const n = text.length;
  let i = start + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      const e = text.charCodeAt(i + 1);
      if (e === 0x75) {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          return { offset: i, message: 'invalid \\u escape: expected four hex digits' };
        }
        i += 6;
        continue;
      }
      if (
        e === 0x22 ||
        e === 0x5c ||
        e === 0x2f ||
        e === 0x62 ||
        e === 0x66 ||
        e === 0x6e ||
        e === 0x72 ||
        e === 0x74
      ) {
        i += 2;
        continue;
      }
      if (i + 1 >= n) break;
      return { offset: i, message: `invalid escape "\\${text[i + 1]}" in a string` };
    }
    if (c < 0x20) {
      return {
        offset: i,
        message: `${c === 0x0a || c === 0x0d ? 'a line break' : 'a control character'} inside a string (not allowed unescaped; is a closing quote missing?)`,
      };
    }
    i++;
  }
  return { offset: n, message: 'unexpected end of the file inside a string (a closing quote is missing)' };
}

function scanNumber(text: string, start: number): number | ScanFailure {
  const re = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  re.lastIndex = start;
  const match = re.exec(text);
  if (!match || match[0] === '-' || match[0].length === 0) {
    return { offset: start, message: 'invalid number' };
  }
  const end = start + match[0].length;
  const next = text.charCodeAt(end);
  // A number glued to more number-ish characters (01, 1.e5, 1.) is invalid at that character.
  if ((next >= 0x30 && next <= 0x39) || next === 0x2e || next === 0x65 || next === 0x45) {
    return { offset: end, message: 'invalid number' };
  }
  return end;
}
