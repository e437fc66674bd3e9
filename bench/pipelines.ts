/**
 * The jobs the core benchmark compares. Every pipeline starts from the parsed raw version record (what the worker
 * holds after `response.json()`) and ends with the bytes of a package.
 *
 * - `ours`: what lib/jobs/export-job.ts does: `rawVersionRecordSchema` validate, `redactValidatedVersion` with
 *   `files: true` (the serialized files the final leak check scanned, so "serialize" happens inside redaction), then
 *   `zipFiles` (client-zip, stored).
 * - `jszip-*`, `fflate-*`: the same validate + redact, then the same three files zipped with JSZip
 *   (`generateAsync`) or fflate (`zipSync`), deflate level 6 or stored.
 * - `no-redaction`: the least an export on this stack costs: the same `rawVersionRecordSchema` validate, the
 *   validated app, flow and env written as the floor writes them (one string each, the quickest way) and zipped
 *   by `zipFiles` (client-zip), nothing scanned or replaced.
 * - `raw-json`: the lower bound: app, flow and env of the raw record written as the package's JSON text
 *   (`JSON.stringify(value, null, 2)` + UTF-8), no validation, no redaction, no zip.
 */
import JSZip from 'jszip';
import { zipSync, type Zippable } from 'fflate';
import { PACKAGE_FILES, rawVersionRecordSchema } from '../lib/package/schemas.ts';
import { redactValidatedVersion } from '../lib/redaction/redactor.ts';
import {
  zipFiles,
  canonicalJson,
  PACKAGE_TIMESTAMP_FIELDS,
  type PackageFile,
} from '../lib/package/zip-write.ts';

export const PIPELINES = [
  'ours',
  'jszip-deflate',
  'jszip-store',
  'fflate-deflate',
  'fflate-store',
  'no-redaction',
  'raw-json',
] as const;
export type PipelineId = (typeof PIPELINES)[number];

export const PIPELINE_LABELS: Record<PipelineId, string> = {
  ours: 'ours (client-zip, stored)',
  'jszip-deflate': 'JSZip deflate',
  'jszip-store': 'JSZip store',
  'fflate-deflate': 'fflate deflate-6',
  'fflate-store': 'fflate store',
  'no-redaction': 'no redaction (validate + write + zip)',
  'raw-json': 'raw JSON (lower bound)',
};

export const STAGES = ['validate', 'redact', 'serialize', 'zip'] as const;
export type Stage = (typeof STAGES)[number];
export type StageTimes = Record<Stage, number>;

export interface PipelineRun {
  /** The package (or, for raw-json, the three files). */
  output: Uint8Array[];
  size: number;
  stages: StageTimes;
}

/** Called between stages (the memory child samples there: synchronous stages never let a timer fire). */
export type Probe = (stage: Stage) => void;

/** Timed as whole runs of their own, not on ours' redacted files: no redaction and the raw-JSON floor. */
export const OWN_RUN: ReadonlySet<PipelineId> = new Set(['no-redaction', 'raw-json']);

/** A record's app, flow and env as the floor writes them: one `canonicalJson` string each, UTF-8 encoded. */
function floorFiles(record: { app: unknown; flow: unknown; env: unknown }): PackageFile[] {
  const encoder = new TextEncoder();
  return [
    { name: PACKAGE_FILES.app, data: encoder.encode(canonicalJson(record.app)) },
    { name: PACKAGE_FILES.flow, data: encoder.encode(canonicalJson(record.flow)) },
    { name: PACKAGE_FILES.env, data: encoder.encode(canonicalJson(record.env)) },
  ];
}

const [y, mo, d, h, mi, s] = PACKAGE_TIMESTAMP_FIELDS;
const DATE = new Date(y, mo, d, h, mi, s);

/** The zip step of a pipeline (serialized files in, zip bytes out). */
export async function zipWith(pipeline: PipelineId, files: PackageFile[]): Promise<Uint8Array> {
  switch (pipeline) {
    case 'ours':
    case 'no-redaction':
      return zipFiles(files);
    case 'jszip-deflate':
    case 'jszip-store': {
      const zip = new JSZip();
      for (const file of files) zip.file(file.name, file.data, { binary: true, date: DATE });
      return zip.generateAsync(
        pipeline === 'jszip-deflate'
          ? { type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 6 } }
          : { type: 'uint8array', compression: 'STORE' },
      );
    }
    case 'fflate-deflate':
    case 'fflate-store': {
      const level = pipeline === 'fflate-deflate' ? 6 : 0;
      const entries: Zippable = {};
      for (const file of files) entries[file.name] = [file.data, { level, mtime: DATE }];
      return zipSync(entries);
    }
    default:
      throw new Error(`no zip step in ${pipeline}`);
  }
}

const now = () => performance.now();

export async function runPipeline(pipeline: PipelineId, raw: unknown, probe?: Probe): Promise<PipelineRun> {
  const stages: StageTimes = { validate: 0, redact: 0, serialize: 0, zip: 0 };
  if (pipeline === 'raw-json') {
    const t = now();
    const parts = floorFiles(raw as { app: unknown; flow: unknown; env: unknown }).map((file) => file.data);
    stages.serialize = now() - t;
    probe?.('serialize');
    // No container: the three files' bytes as they would be written.
    return { output: parts, size: parts.reduce((sum, part) => sum + part.byteLength, 0), stages };
  }
  let t = now();
  const parsed = rawVersionRecordSchema.safeParse(raw);
  if (!parsed.success) throw new Error('the benchmark input does not validate');
  stages.validate = now() - t;
  probe?.('validate');

  let files: PackageFile[];
  if (pipeline === 'no-redaction') {
    t = now();
    files = floorFiles(parsed.data);
    stages.serialize = now() - t;
    probe?.('serialize');
  } else {
    t = now();
    files = (await redactValidatedVersion(parsed.data, { files: true })).files;
    stages.redact = now() - t;
    probe?.('redact');
    probe?.('serialize');
  }

  t = now();
  const bytes = await zipWith(pipeline, files);
  stages.zip = now() - t;
  probe?.('zip');
  return { output: [bytes], size: bytes.byteLength, stages };
}
