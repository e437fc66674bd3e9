import { readFileSync } from 'node:fs';
import { loadInput } from './bench/inputs.ts';
import { rawVersionRecordSchema } from './lib/package/schemas.ts';
import { redactValidatedVersion } from './lib/redaction/redactor.ts';
import { zipFiles, canonicalJson } from './lib/package/zip-write.ts';
const inputs = JSON.parse(readFileSync('/tmp/bench-inputs.json', 'utf8'));
const gc = (globalThis as any).gc ?? (() => {});
for (const input of inputs) {
  const raw = loadInput(input.file) as any;
  const rows: number[][] = [];
  for (let i = 0; i < 4; i++) {
    gc();
    let t = performance.now();
    const enc = new TextEncoder();
    for (const v of [raw.app, raw.flow, raw.env]) enc.encode(canonicalJson(v));
    const floor = performance.now() - t;
    gc(); t = performance.now();
    const parsed = rawVersionRecordSchema.safeParse(raw);
    const validate = performance.now() - t; t = performance.now();
    const { files } = await redactValidatedVersion(parsed.data!, { files: true });
    const redact = performance.now() - t; t = performance.now();
    await zipFiles(files);
    const zip = performance.now() - t;
    rows.push([floor, validate, redact, zip, (validate + redact + zip) / floor]);
  }
  const med = (k: number) => rows.map(r => r[k]!).sort((a, b) => a - b)[rows.length >> 1]!.toFixed(1);
  console.log(input.id, `floor ${med(0)} validate ${med(1)} redact ${med(2)} zip ${med(3)} ratio ${med(4)}`);
}
