import fc from 'fast-check';
import { deflateSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { isPackageError, type PackageError, type PackageErrorCode } from '../../../lib/package/errors.ts';
import { findJsonSyntaxError, lineColumn, parseJson } from '../../../lib/package/json-position.ts';
import { MAX_JSON_DEPTH } from '../../../lib/package/json-structure.ts';
import {
  appDefinitionSchema,
  envVariablesSchema,
  flowDefinitionSchema,
  KNOWN_NODE_TYPES,
  type PackageContent,
} from '../../../lib/package/schemas.ts';
import {
  crc32,
  DEFAULT_READ_LIMITS,
  readPackageFiles,
  readPackageZip,
} from '../../../lib/package/zip-read.ts';
import { serializePackage, writePackageZip } from '../../../lib/package/zip-write.ts';
import { concatBytes } from '../../../lib/byte-streams.ts';
import { bankingFileText } from '../banking-package.ts';

const APP = bankingFileText('app_definition.json');
const FLOW = bankingFileText('flow_definition.json');
const ENV = bankingFileText('env_variables.json');

// ---------------------------------------------------------------------------------------------------------
// A raw zip builder, so that broken archives can be made on purpose.

interface RawEntry {
  name: string;
  data?: Uint8Array | string;
  method?: number;
  flags?: number;
  /** Override the CRC written (to fake corruption). */
  crc?: number;
  /** Override the declared uncompressed size. */
  size?: number;
}

const enc = new TextEncoder();

function buildZip(entries: RawEntry[], options: { truncateCentral?: boolean } = {}): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    const data = typeof e.data === 'string' ? enc.encode(e.data) : (e.data ?? new Uint8Array(0));
    const method = e.method ?? 0;
    const stored = method === 8 ? deflateSync(data) : data;
    const crc = e.crc ?? crc32(data);
    const size = e.size ?? data.length;
    const flags = (e.flags ?? 0) | 0x800;

    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true);
    local.setUint16(6, flags, true);
    local.setUint16(8, method, true);
    local.setUint16(10, 0, true);
    local.setUint16(12, 0x21, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, stored.length, true);
    local.setUint32(22, size, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 0, true);
    const localBytes = concatBytes([new Uint8Array(local.buffer), name, stored]);

    const central = new DataView(new ArrayBuffer(46));
    central.setUint32(0, 0x02014b50, true);
    central.setUint16(4, 20, true);
    central.setUint16(6, 20, true);
    central.setUint16(8, flags, true);
    central.setUint16(10, method, true);
    central.setUint16(12, 0, true);
    central.setUint16(14, 0x21, true);
    central.setUint32(16, crc, true);
    central.setUint32(20, stored.length, true);
    central.setUint32(24, size, true);
    central.setUint16(28, name.length, true);
    central.setUint32(42, offset, true);
    centrals.push(concatBytes([new Uint8Array(central.buffer), name]));
    locals.push(localBytes);
    offset += localBytes.length;
  }
  const cd = concatBytes(centrals);
  const eocd = new DataView(new ArrayBuffer(22));
  eocd.setUint32(0, 0x06054b50, true);
  eocd.setUint16(8, entries.length, true);
  eocd.setUint16(10, entries.length, true);
  eocd.setUint32(12, cd.length, true);
  eocd.setUint32(16, offset, true);
  return concatBytes([
    ...locals,
    options.truncateCentral ? cd.subarray(0, cd.length - 10) : cd,
    new Uint8Array(eocd.buffer),
  ]);
}

const goodEntries = (): RawEntry[] => [
  { name: 'app_definition.json', data: APP },
  { name: 'flow_definition.json', data: FLOW },
  { name: 'env_variables.json', data: ENV },
];

function failure(run: () => unknown): PackageError {
  try {
    run();
  } catch (error) {
    if (isPackageError(error)) return error;
    throw error;
  }
  throw new Error('expected a PackageError');
}

function expectCode(run: () => unknown, code: PackageErrorCode): PackageError {
  const error = failure(run);
  expect(error.code, error.message).toBe(code);
  expect(error.message.length).toBeGreaterThan(20);
  return error;
}

// ---------------------------------------------------------------------------------------------------------

describe('readPackageZip: good packages', () => {
  it('reads a package written by writePackageZip', async () => {
    const bytes = await writePackageZip(
      readPackageFiles({
        'app_definition.json': APP,
        'flow_definition.json': FLOW,
        'env_variables.json': ENV,
      }).content,
    );
    const result = readPackageZip(bytes);
    expect(result.files).toEqual(['app_definition.json', 'flow_definition.json', 'env_variables.json']);
    expect(result.warnings).toEqual([]);
    expect(result.content.env.variables[0]).toEqual({
      name: 'CRM_TOKEN',
      value: '',
      secure: true,
      notes: 'set after import',
    });
  });

  it('reads deflated entries (zips made by other tools) and keeps unknown keys', () => {
    const bytes = zipSync(
      {
        'app_definition.json': enc.encode(APP),
        'flow_definition.json': enc.encode(FLOW),
        'env_variables.json': enc.encode(ENV),
      },
      { level: 9 },
    );
    const result = readPackageZip(bytes);
    expect((result.content.app as Record<string, unknown>).futureField).toEqual({ kept: true });
    expect(result.content.flow.nodes).toHaveLength(4);
  });

  it('our crc32 agrees with fflate-written zips', () => {
    const bytes = buildZip(goodEntries().map((e) => ({ ...e, method: 8 })));
    expect(() => readPackageZip(bytes)).not.toThrow();
  });

  it('accepts callflow.json as the flow file, with a warning', () => {
    const result = readPackageZip(
      buildZip([goodEntries()[0]!, { name: 'callflow.json', data: FLOW }, goodEntries()[2]!]),
    );
    expect(result.content.flow.nodes).toHaveLength(4);
    expect(result.warnings.join(' ')).toContain('callflow.json');
  });

  it('accepts a top-level array in env_variables.json', () => {
    const array = JSON.stringify([{ name: 'A', value: '1', secure: false, notes: '' }]);
    const result = readPackageZip(
      buildZip([goodEntries()[0]!, goodEntries()[1]!, { name: 'env_variables.json', data: array }]),
    );
    expect(result.content.env).toEqual({
      schemaVersion: '1.0',
      variables: [{ name: 'A', value: '1', secure: false, notes: '' }],
    });
  });

  it('accepts the files inside a single top-level folder, ignoring macOS litter, with warnings', () => {
    const entries: RawEntry[] = [
      { name: 'Banking Assistant/' },
      ...goodEntries().map((e) => ({ ...e, name: `Banking Assistant/${e.name}` })),
      { name: 'Banking Assistant/.DS_Store', data: 'x' },
      { name: '__MACOSX/' },
      { name: '__MACOSX/Banking Assistant/._flow_definition.json', data: 'x' },
    ];
    const result = readPackageZip(buildZip(entries));
    expect(result.content.flow.nodes).toHaveLength(4);
    expect(result.files).toHaveLength(7);
    const warnings = result.warnings.join('\n');
    expect(warnings).toContain('__MACOSX');
    expect(warnings).toContain('.DS_Store');
    expect(warnings).toContain('inside the folder "Banking Assistant/"');
  });

  it('finds the files in a nested folder, in other letter case, or one of them in a folder of its own', () => {
    const nested = readPackageZip(
      buildZip(goodEntries().map((e) => ({ ...e, name: `exports/2026/Banking Assistant/${e.name}` }))),
    );
    expect(nested.content.flow.nodes).toHaveLength(4);
    expect(nested.warnings.join('\n')).toContain('inside the folder "exports/2026/Banking Assistant/"');

    const upper = readPackageZip(
      buildZip(
        goodEntries().map((e) => ({ ...e, name: e.name.replace('app_definition', 'App_Definition') })),
      ),
    );
    expect(upper.content.app.workflow.name).toBeTruthy();
    expect(upper.warnings.join('\n')).toContain('Read "App_Definition.json" as app_definition.json');

    const [app, flow, env] = goodEntries();
    const scattered = readPackageZip(buildZip([app!, flow!, { ...env!, name: `settings/${env!.name}` }]));
    expect(scattered.warnings.join('\n')).toContain(
      'Read "settings/env_variables.json" as env_variables.json',
    );
    // Two candidates for one file: neither is guessed.
    const twice = readPackageZip(
      buildZip([app!, flow!, { ...env!, name: `a/${env!.name}` }, { ...env!, name: `b/${env!.name}` }]),
    );
    expect(twice.warnings.join('\n')).toContain('env_variables.json is missing');
  });

  it('ignores extra files with a warning, and reads a missing env file as no variables', () => {
    const result = readPackageZip(
      buildZip([...goodEntries().slice(0, 2), { name: 'README.txt', data: 'hello' }]),
    );
    expect(result.content.env.variables).toEqual([]);
    expect(result.warnings.join('\n')).toMatch(/README\.txt[\s\S]*env_variables\.json is missing/);
  });
});

describe('readPackageZip: broken archives, one code each', () => {
  it('empty file → NOT_A_ZIP', () => {
    expect(expectCode(() => readPackageZip(new Uint8Array(0)), 'NOT_A_ZIP').message).toContain('empty');
  });

  it('random bytes → NOT_A_ZIP', () => {
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) % 251);
    expectCode(() => readPackageZip(random), 'NOT_A_ZIP');
  });

  it('a PDF renamed .zip → NOT_A_ZIP, says PDF', () => {
    const error = expectCode(
      () => readPackageZip(enc.encode('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n')),
      'NOT_A_ZIP',
    );
    expect(error.message).toContain('PDF');
  });

  it('a JSON file renamed .zip → NOT_A_ZIP, points to the separate-files import', () => {
    const error = expectCode(() => readPackageZip(enc.encode(FLOW)), 'NOT_A_ZIP');
    expect(error.message).toContain('JSON');
  });

  it('truncated download → CORRUPT_ZIP', async () => {
    const bytes = await writePackageZip(readPackageFiles({ app: APP, flow: FLOW, env: ENV }).content);
    expectCode(() => readPackageZip(bytes.subarray(0, Math.floor(bytes.length / 2))), 'CORRUPT_ZIP');
  });

  it('damaged central directory → CORRUPT_ZIP', () => {
    expectCode(() => readPackageZip(buildZip(goodEntries(), { truncateCentral: true })), 'CORRUPT_ZIP');
  });

  it('bad CRC → CORRUPT_ZIP', () => {
    const entries = goodEntries();
    entries[1] = { ...entries[1]!, crc: 0x12345678 };
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'CORRUPT_ZIP');
    expect(error.message).toContain('flow_definition.json');
  });

  it('flipped byte in deflated data → CORRUPT_ZIP', () => {
    const bytes = buildZip(goodEntries().map((e) => ({ ...e, method: 8 })));
    bytes[30 + 'app_definition.json'.length + 20]! ^= 0xff;
    expectCode(() => readPackageZip(bytes), 'CORRUPT_ZIP');
  });

  it('unsupported compression method → CORRUPT_ZIP with a clear message', () => {
    const entries = goodEntries();
    entries[1] = { ...entries[1]!, method: 12 };
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'CORRUPT_ZIP');
    expect(error.message).toContain('compression method, bzip2 (method 12),');
    expect(error.problems[0]!.message).toMatch(/^compressed with bzip2 .*zip it again with standard/);
  });

  it.each([
    ['../evil.json'],
    ['a/../../evil.json'],
    ['/etc/passwd'],
    ['C:\\Windows\\evil.json'],
    ['..\\evil.json'],
  ])('unsafe path %s → UNSAFE_ENTRY', (name) => {
    const error = expectCode(
      () => readPackageZip(buildZip([...goodEntries(), { name, data: 'x' }])),
      'UNSAFE_ENTRY',
    );
    expect(error.problems).toEqual([expect.objectContaining({ file: name })]);
  });

  it('duplicate names → DUPLICATE_ENTRY', () => {
    expectCode(
      () => readPackageZip(buildZip([...goodEntries(), { name: 'flow_definition.json', data: FLOW }])),
      'DUPLICATE_ENTRY',
    );
  });

  it('flow_definition.json and callflow.json together → DUPLICATE_ENTRY', () => {
    expectCode(
      () => readPackageZip(buildZip([...goodEntries(), { name: 'callflow.json', data: FLOW }])),
      'DUPLICATE_ENTRY',
    );
  });

  it('encrypted flag set → ENCRYPTED_ENTRY', () => {
    const entries = goodEntries();
    entries[0] = { ...entries[0]!, flags: 0x1 };
    expect(expectCode(() => readPackageZip(buildZip(entries)), 'ENCRYPTED_ENTRY').message).toContain(
      'password',
    );
  });

  it('zip bomb by ratio → TOO_LARGE before inflating', () => {
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const entries = goodEntries();
    entries[1] = { name: 'flow_definition.json', data: zeros, method: 8 };
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'TOO_LARGE');
    expect(error.message).toContain('zip bomb');
  });

  it('an entry that inflates beyond its declared size → TOO_LARGE', () => {
    const entries = goodEntries();
    entries[1] = {
      name: 'flow_definition.json',
      data: new Uint8Array(4 * 1024 * 1024),
      method: 8,
      size: 1000,
    };
    expect(expectCode(() => readPackageZip(buildZip(entries)), 'TOO_LARGE').message).toContain('more than');
  });

  it('an entry over the per-entry limit → TOO_LARGE', () => {
    expectCode(() => readPackageZip(buildZip(goodEntries()), { maxEntryBytes: 100 }), 'TOO_LARGE');
  });

  it('over the total limit → TOO_LARGE', () => {
    expectCode(() => readPackageZip(buildZip(goodEntries()), { maxTotalBytes: 1000 }), 'TOO_LARGE');
  });

  it('too many entries → TOO_LARGE', () => {
    const many = Array.from({ length: DEFAULT_READ_LIMITS.maxEntries + 1 }, (_, i) => ({
      name: `junk/${i}.txt`,
      data: '',
    }));
    expectCode(() => readPackageZip(buildZip([...goodEntries(), ...many])), 'TOO_LARGE');
  });

  it('a bulk archive (one folder per workflow) → MISSING_FILE saying it holds several packages', () => {
    const entries = ['Banking Assistant', 'Claims Flow'].flatMap((folder) =>
      goodEntries().map((entry) => ({ ...entry, name: `${folder}/${entry.name}` })),
    );
    entries.push({ name: 'porter-index.json', data: '{}' });
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'MISSING_FILE');
    expect(error.problems).toEqual([
      {
        message: expect.stringContaining(
          'This zip holds 2 packages, one per folder ("Banking Assistant/", "Claims Flow/"), as a bulk export does',
        ),
      },
    ]);
  });

  it('a package zipped again → MISSING_FILE naming the zip inside', () => {
    const inner = buildZip(goodEntries());
    const error = expectCode(
      () => readPackageZip(buildZip([{ name: 'Banking Assistant.zip', data: inner }])),
      'MISSING_FILE',
    );
    expect(error.problems).toEqual([
      {
        message:
          'This zip holds no package files but a zip ("Banking Assistant.zip"): a package zipped again? Unzip it once and give Porter the zip inside.',
      },
    ]);
  });

  it('empty zip → MISSING_FILE', () => {
    const error = expectCode(() => readPackageZip(buildZip([])), 'MISSING_FILE');
    expect(error.problems.map((p) => p.file).sort()).toEqual(['app_definition.json', 'flow_definition.json']);
  });

  it('missing flow file → MISSING_FILE', () => {
    const error = expectCode(
      () => readPackageZip(buildZip([goodEntries()[0]!, goodEntries()[2]!])),
      'MISSING_FILE',
    );
    expect(error.problems).toEqual([expect.objectContaining({ file: 'flow_definition.json' })]);
  });

  it('invalid JSON → INVALID_JSON with line and column', () => {
    const broken = '{\n  "schemaVersion": "1.0",\n  "nodes": [ { "id": "a", } ]\n}\n';
    const entries = goodEntries();
    entries[1] = { name: 'flow_definition.json', data: broken };
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'INVALID_JSON');
    expect(error.problems).toEqual([
      { file: 'flow_definition.json', path: 'line 3, column 27', message: 'trailing comma before "}"' },
    ]);
    expect(error.message).toContain(
      'flow_definition.json is not valid JSON (line 3, column 27: trailing comma',
    );
  });

  it('invalid UTF-8 → INVALID_JSON', () => {
    const entries = goodEntries();
    entries[2] = { name: 'env_variables.json', data: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) };
    expect(expectCode(() => readPackageZip(buildZip(entries)), 'INVALID_JSON').message).toContain('UTF-8');
  });

  it('JSON nested 100,000 levels deep → INVALID_JSON at the level past the limit, no stack overflow', () => {
    const app = JSON.parse(APP);
    app.futureField = 'DEEP';
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const entries = goodEntries();
    entries[0] = { name: 'app_definition.json', data: JSON.stringify(app).replace('"DEEP"', deep) };
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'INVALID_JSON');
    // The root object is level 1, so the deep text's bracket number MAX_JSON_DEPTH is one too many.
    const column = JSON.stringify(app).indexOf('"DEEP"') + MAX_JSON_DEPTH;
    expect(error.problems).toEqual([
      {
        file: 'app_definition.json',
        path: `line 1, column ${column}`,
        message: expect.stringContaining(`nested more than ${MAX_JSON_DEPTH} levels deep`),
      },
    ]);
  });

  it('a key written twice → INVALID_JSON naming the key and both places, so a hidden value cannot pass', () => {
    const env =
      '{"schemaVersion": "1.0", "variables": [\n' +
      '  {"name": "CRM_TOKEN", "secure": true, "value": "s3cr3t-value", "value": ""}\n]}';
    const entries = goodEntries();
    entries[2] = { name: 'env_variables.json', data: env };
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'INVALID_JSON');
    expect(error.problems).toEqual([
      {
        file: 'env_variables.json',
        path: 'line 2, column 66',
        message: expect.stringContaining(
          'the key "value" is written twice in the same object (first at line 2, column 41)',
        ),
      },
    ]);
  });

  it('two files swapped → one line per file saying whose content it holds, not every field it lacks', () => {
    const entries = goodEntries();
    entries[0] = { name: 'app_definition.json', data: ENV };
    entries[2] = { name: 'env_variables.json', data: APP };
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'SCHEMA_MISMATCH');
    expect(error.problems).toEqual([
      {
        file: 'app_definition.json',
        message:
          "holds the environment variables (what env_variables.json holds), not the workflow's name, inputs and outputs: were the files swapped or renamed?",
      },
      {
        file: 'env_variables.json',
        message:
          "holds the workflow's name, inputs and outputs (what app_definition.json holds), not the environment variables: were the files swapped or renamed?",
      },
    ]);
  });

  it('UTF-16 text, with a byte-order mark or without → INVALID_JSON asking for UTF-8', () => {
    const utf16le = (text: string) => new Uint8Array(Buffer.from(text, 'utf16le'));
    for (const data of [concatBytes([new Uint8Array([0xff, 0xfe]), utf16le(APP)]), utf16le(APP)]) {
      const entries = goodEntries();
      entries[0] = { name: 'app_definition.json', data };
      const error = expectCode(() => readPackageZip(buildZip(entries)), 'INVALID_JSON');
      expect(error.problems).toEqual([
        {
          file: 'app_definition.json',
          message: 'is UTF-16 text; JSON files must be UTF-8: save it again as UTF-8',
        },
      ]);
    }
  });

  it('schema problems in two files → one SCHEMA_MISMATCH listing every path', () => {
    const flow = JSON.parse(FLOW);
    flow.nodes[1].config.method = 42;
    delete flow.nodes[2].name;
    flow.nodes[0].connections.onSuccess = ['nowhere'];
    const env = JSON.parse(ENV);
    env.variables[1].name = 'not a name';
    const entries = goodEntries();
    entries[1] = { name: 'flow_definition.json', data: JSON.stringify(flow) };
    entries[2] = { name: 'env_variables.json', data: JSON.stringify(env) };
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'SCHEMA_MISMATCH');
    const found = error.problems.map((p) => `${p.file} ${p.path}`);
    expect(found).toEqual(
      expect.arrayContaining([
        'flow_definition.json nodes[1].config.method',
        'flow_definition.json nodes[2].name',
        'env_variables.json variables[1].name',
      ]),
    );
    expect(error.message).toContain('flow_definition.json and env_variables.json');
  });

  it('schema problems in a bare env array are reported with the array path', () => {
    const entries = goodEntries();
    entries[2] = { name: 'env_variables.json', data: '[{"name": "1bad"}]' };
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'SCHEMA_MISMATCH');
    expect(error.problems).toEqual([
      expect.objectContaining({ file: 'env_variables.json', path: '[0].name' }),
    ]);
  });

  it('schemaVersion "2.0" → UNSUPPORTED_SCHEMA_VERSION, checked before the schema', () => {
    const flow = { schemaVersion: '2.0', graph: { somethingNew: true } };
    const entries = goodEntries();
    entries[1] = { name: 'flow_definition.json', data: JSON.stringify(flow) };
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'UNSUPPORTED_SCHEMA_VERSION');
    expect(error.message).toContain('newer version');
    expect(error.problems).toEqual([
      expect.objectContaining({ file: 'flow_definition.json', path: 'schemaVersion' }),
    ]);
  });

  it('several kinds at once: the most fundamental code, every problem listed', () => {
    const app = JSON.parse(APP);
    app.workflow.name = '';
    const entries = [
      { name: 'app_definition.json', data: JSON.stringify(app) },
      { name: 'flow_definition.json', data: JSON.stringify({ schemaVersion: '3.1', nodes: [] }) },
      { name: 'env_variables.json', data: '{"variables": [' },
    ];
    const error = expectCode(() => readPackageZip(buildZip(entries)), 'INVALID_JSON');
    expect(error.problems.map((p) => p.file)).toEqual([
      'app_definition.json',
      'flow_definition.json',
      'env_variables.json',
    ]);
    expect(error.message).toContain('2 more problems');
  });
});

describe('readPackageFiles', () => {
  it('validates separately supplied files (strings or bytes)', () => {
    const result = readPackageFiles({
      'app_definition.json': enc.encode(APP),
      'C:\\fakepath\\flow_definition.json': FLOW,
      'env_variables.json': ENV,
    });
    expect(result.content.flow.nodes).toHaveLength(4);
    expect(result.warnings).toEqual([]);
  });

  it('places a file with another name by its content', () => {
    const result = readPackageFiles({
      'app_definition.json': APP,
      'flow_definition (1).json': FLOW,
      'vars.json': ENV,
    });
    expect(result.content.env.variables).toHaveLength(2);
    expect(result.warnings.join('\n')).toContain('flow_definition (1).json');
  });

  it('reports the same codes as the zip reader', () => {
    expectCode(() => readPackageFiles({ 'app_definition.json': APP }), 'MISSING_FILE');
    expectCode(() => readPackageFiles({ app: APP, flow: '{"nodes": [}', env: ENV }), 'INVALID_JSON');
    expectCode(
      () => readPackageFiles({ app: APP, flow: '{"schemaVersion": "1.0", "nodes": [{}]}', env: ENV }),
      'SCHEMA_MISMATCH',
    );
  });
});

describe('JSON error positions', () => {
  it.each([
    ['{"a": 1,}', 1, 9, 'trailing comma'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'expected ","'],
    ["{'a': 1}", 1, 2, 'double quotes'],
    ['[1, 2', 1, 6, 'not closed'],
    ['{"a": "x\ny"}', 1, 9, 'line break'],
    ['{"ü✓😀": tru}', 1, 9, 'expected a value'],
    ['\r\n\r\n  [01]', 3, 5, 'invalid number'],
    ['{} x', 1, 4, 'after the end'],
    ['', 1, 1, 'end of the file'],
    ['{"ratio": NaN}', 1, 11, 'found "NaN", which is not a JSON value (JSON has no NaN or Infinity'],
    ['[1, -Infinity]', 1, 5, 'found "-Infinity", which is not a JSON value'],
    [
      '{"on": True}',
      1,
      8,
      'found "True", which is written the Python way (JSON writes true, false and null)',
    ],
    ['// settings\n{}', 1, 1, 'found "//", which is a comment, and JSON has no comments'],
    ['{"a": /* one */ 1}', 1, 7, 'found "/*", which is a comment'],
  ])('%j → line %i, column %i', (text, line, column, message) => {
    const error = findJsonSyntaxError(text);
    expect(error).toMatchObject({ line, column });
    expect(error!.message).toContain(message);
  });

  it('agrees with JSON.parse on what is valid (property)', () => {
    const nearJson = fc.oneof(
      fc.json(),
      fc
        .json()
        .chain((j) =>
          fc
            .tuple(fc.nat(j.length), fc.constantFrom('', ',', '}', ']', '"', '\\', ' ', '0', '-', '\n', 'e'))
            .map(([i, s]) => j.slice(0, i) + s + j.slice(i + 1)),
        ),
      fc.string(),
    );
    fc.assert(
      fc.property(nearJson, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(findJsonSyntaxError(text) === null).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads every JSON text that has no key written twice as JSON.parse does (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = JSON.stringify(value, null, 1);
        expect(parseJson(text)).toEqual({ ok: true, value: JSON.parse(text) });
      }),
      { numRuns: 1000 },
    );
  });

  it('finds a key written twice however it is escaped, and not the same key in two objects', () => {
    expect(parseJson('{"a": {"k": 1}, "b": {"k": 2}}').ok).toBe(true);
    expect(parseJson('["k", {"k": ":"}, "k"]').ok).toBe(true);
    const escaped = parseJson('{"k\\"": 1, "\\u006b\\"": 2}');
    expect(escaped).toMatchObject({ ok: false, error: { line: 1, column: 12 } });
  });

  it('counts columns in code points', () => {
    expect(lineColumn('😀😀x', 4)).toEqual({ line: 1, column: 3 });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Round trip: write → read gives back the content, for generated packages with unknown keys and Unicode.

const text = fc.string({ unit: 'binary', maxLength: 12 });
const extraKey = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).map((k) => `x_${k}`);
const extras = fc
  .dictionary(extraKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 2 })
  .map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);
const varName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/);

const rawPackage = fc
  .record({
    appName: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
    appExtras: extras,
    inputs: fc.array(
      fc.record({
        name: fc.string({ minLength: 1, maxLength: 8 }),
        type: fc.constantFrom('string', 'number', 'object'),
      }),
      { maxLength: 3 },
    ),
    nodes: fc.uniqueArray(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 6 }),
        name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
        type: fc.oneof(fc.constantFrom(...KNOWN_NODE_TYPES), fc.constantFrom('futureType', 'x-custom')),
        text,
        extras,
        x: fc.integer(),
        y: fc.double({ noNaN: true, noDefaultInfinity: true }),
      }),
      { selector: (n) => n.id, maxLength: 6 },
    ),
    wires: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 8 }),
    vars: fc.uniqueArray(
      fc.record({ name: varName, value: text, secure: fc.boolean(), notes: text, extras }),
      { selector: (v) => v.name, maxLength: 5 },
    ),
    envAsArray: fc.boolean(),
  })
  .map((g) => {
    const nodes = g.nodes.map((n) => {
      const config =
        n.type === 'api'
          ? {
              url: `https://example.com/${n.text}`,
              method: 'POST',
              headers: [{ key: 'X', value: n.text }],
              body: { contentType: 'text/plain', content: n.text },
            }
          : n.type === 'function'
            ? { language: 'javascript', code: n.text }
            : n.type === 'ai'
              ? { model: { name: 'm', provider: 'p' }, prompt: n.text, hyperparameters: { t: 1 } }
              : { anything: n.text, ...n.extras };
      return {
        id: n.id,
        name: n.name,
        type: n.type,
        position: { x: n.x, y: Object.is(n.y, -0) ? 0 : n.y },
        config,
        connections: { onSuccess: [] as string[], onFailure: [] as string[] },
        ...n.extras,
      };
    });
    for (const [from, to, ok] of g.wires) {
      if (!nodes.length) break;
      nodes[from % nodes.length]!.connections[ok ? 'onSuccess' : 'onFailure'].push(
        nodes[to % nodes.length]!.id,
      );
    }
    const variables = g.vars.map((v) => ({
      name: v.name,
      value: v.secure ? '' : v.value,
      secure: v.secure,
      notes: v.notes,
      ...v.extras,
    }));
    return {
      app: {
        schemaVersion: '1.0',
        workflow: { name: g.appName, description: '' },
        version: { name: 'v1' },
        io: { inputs: g.inputs, outputs: [] },
        ...g.appExtras,
      },
      flow: { schemaVersion: '1.0', nodes },
      env: g.envAsArray ? variables : { schemaVersion: '1.0', variables },
    };
  });

describe('round trip (property)', () => {
  it('readPackageZip(writePackageZip(content)) equals content', async () => {
    await fc.assert(
      fc.asyncProperty(rawPackage, async (raw) => {
        const content: PackageContent = {
          app: appDefinitionSchema.parse(raw.app),
          flow: flowDefinitionSchema.parse(raw.flow),
          env: envVariablesSchema.parse(raw.env),
        };
        const bytes = await writePackageZip(content);
        const read = readPackageZip(bytes);
        expect(read.content).toEqual(content);
        expect(read.warnings).toEqual([]);
        // and the separate-files path agrees
        const files = Object.fromEntries(serializePackage(content).map((f) => [f.name, f.data]));
        expect(readPackageFiles(files).content).toEqual(content);
        // and writing what was read gives the same bytes
        expect(await writePackageZip(read.content)).toEqual(bytes);
      }),
      { numRuns: 150 },
    );
  });
});
