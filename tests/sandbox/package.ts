/**
 * The package as the sandbox's native export writes it (platform-contract.md §7): three JSON files, secure
 * values blanked, push access token removed, no keys/sharing/endpoint/audit logs. Whatever was typed into
 * an ordinary field travels as it is, like the product.
 */
import { strToU8, zipSync } from 'fflate';
import type { JsonObject, Version, Workflow } from './types.ts';

const isObj = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** app_definition.json before redaction: stored app with workflow/version facts laid over it. */
export function composeApp(workflow: Workflow, version: Version): JsonObject {
  const { schemaVersion, workflow: wfExtra, version: vExtra, ...rest } = version.app;
  return {
    schemaVersion: typeof schemaVersion === 'string' ? schemaVersion : '1.0',
    workflow: { ...(isObj(wfExtra) ? wfExtra : {}), name: workflow.name, description: workflow.description },
    version: {
      ...(isObj(vExtra) ? vExtra : {}),
      id: version.id,
      name: version.name,
      description: version.description,
      createdAt: version.createdAt,
    },
    io: { inputs: [], outputs: [] },
    ...rest,
  };
}

export interface PackageFiles {
  'app_definition.json': JsonObject;
  'flow_definition.json': JsonObject;
  'env_variables.json': JsonObject;
}

export function nativePackageFiles(workflow: Workflow, version: Version): PackageFiles {
  const app = structuredClone(composeApp(workflow, version));
  const execution = app.execution;
  if (isObj(execution) && isObj(execution.async) && isObj(execution.async.push)) {
    delete execution.async.push.accessToken;
  }
  const env = structuredClone(version.env);
  env.variables = env.variables.map((v) => (v.secure ? { ...v, value: '' } : v));
  return {
    'app_definition.json': app,
    'flow_definition.json': structuredClone(version.flow),
    'env_variables.json': env,
  };
}

export function zipPackage(files: PackageFiles): Uint8Array {
  const mtime = new Date('2025-01-01T00:00:00Z');
  return zipSync(
    Object.fromEntries(
      Object.entries(files).map(([name, content]) => [
        name,
        [strToU8(JSON.stringify(content, null, 2)), { mtime }],
      ]),
    ),
    { level: 6 },
  );
}

/** `<Workflow Name>.zip` with the characters file systems refuse replaced; the name stays readable. */
export function packageFileName(workflowName: string): string {
  const safe = truncateUtf8(
    workflowName
      .normalize('NFC')
      // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
      .replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_'),
    MAX_STEM_BYTES,
  )
    .replace(/[. ]+$/g, '')
    .trim();
  return `${safe || 'workflow'}.zip`;
}

/** File systems allow 255 bytes per name; a very long workflow name is cut, by whole characters, well below. */
const MAX_STEM_BYTES = 200;

function truncateUtf8(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > maxBytes) break;
    out += char;
  }
  return out;
}

export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
