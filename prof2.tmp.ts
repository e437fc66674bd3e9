import { readFileSync } from 'node:fs';
import { loadInput } from './bench/inputs.ts';
import { rawVersionRecordSchema } from './lib/package/schemas.ts';
import { redactValidatedVersion } from './lib/redaction/redactor.ts';
const inputs = JSON.parse(readFileSync('/tmp/bench-inputs.json', 'utf8'));
const raw = loadInput(inputs[0].file) as any;
const parsed = rawVersionRecordSchema.safeParse(raw);
for (let i = 0; i < 8; i++) await redactValidatedVersion(parsed.data!, { files: true });
