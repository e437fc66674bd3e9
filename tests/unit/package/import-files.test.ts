import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import {
  checkImportSource,
  emptySecureVariables,
  filesForUpload,
  serializeForUpload,
  problemLine,
} from '../../../lib/package/import-files';
import { readPackageFiles } from '../../../lib/package/zip-read';
import { bankingContent, bankingFileText } from '../banking-package';

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);
const json = (value: unknown) => bytes(JSON.stringify(value));

function bankingZip(change: (files: Record<string, Uint8Array>) => void = () => undefined) {
  const files: Record<string, Uint8Array> = {
    'app_definition.json': bytes(bankingFileText('app_definition.json')),
    'flow_definition.json': bytes(bankingFileText('flow_definition.json')),
    'env_variables.json': bytes(bankingFileText('env_variables.json')),
  };
  change(files);
  return zipSync(files);
}

describe('checking what a user brings to an import', () => {
  it('reads a package zip, and the three JSON files with callflow.json as the flow', () => {
    const zip = checkImportSource({ kind: 'zip', name: 'p.zip', bytes: bankingZip() });
    expect(zip.ok && zip.content.app.workflow.name).toBe('Banking Assistant');
    const files = checkImportSource({
      kind: 'files',
      files: [
        { name: 'app_definition.json', bytes: bytes(bankingFileText('app_definition.json')) },
        { name: 'callflow.json', bytes: bytes(bankingFileText('flow_definition.json')) },
        { name: 'env_variables.json', bytes: bytes(bankingFileText('env_variables.json')) },
      ],
    });
    expect(files.ok).toBe(true);
    expect(files.ok && files.notes.join(' ')).toContain('Read "callflow.json" as flow_definition.json');
  });

  it('says a broken zip and a file that is no package in plain words, never throwing', () => {
    const broken = checkImportSource({ kind: 'zip', name: 'p.zip', bytes: bankingZip().subarray(0, 200) });
    expect(broken.ok).toBe(false);
    expect(!broken.ok && broken.summary).toMatch(/zip/i);
    const text = checkImportSource({ kind: 'zip', name: 'p.zip', bytes: bytes('hello') });
    expect(!text.ok && text.problems.length).toBeGreaterThan(0);
  });

  it('lists every problem at once, each with its file and place', () => {
    const checked = checkImportSource({
      kind: 'zip',
      name: 'p.zip',
      bytes: bankingZip((files) => {
        const flow = JSON.parse(bankingFileText('flow_definition.json'));
        flow.nodes[0].type = '';
        flow.nodes[1].position = 'left';
        files['flow_definition.json'] = json(flow);
      }),
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.summary).toBe('The package files do not have the expected shape.');
    const lines = checked.problems.map(problemLine);
    expect(lines.some((line) => line.startsWith('flow_definition.json, nodes[0].type: '))).toBe(true);
    expect(lines.some((line) => line.startsWith('flow_definition.json, nodes[1].position: '))).toBe(true);
  });

  it('refuses a newer schema, and content a package must never carry', () => {
    const newer = checkImportSource({
      kind: 'zip',
      name: 'p.zip',
      bytes: bankingZip((files) => {
        files['app_definition.json'] = json({
          ...JSON.parse(bankingFileText('app_definition.json')),
          schemaVersion: '2.0',
        });
      }),
    });
    expect(!newer.ok && newer.summary).toMatch(/newer version/);

    const withKey = checkImportSource({
      kind: 'zip',
      name: 'p.zip',
      bytes: bankingZip((files) => {
        const app = JSON.parse(bankingFileText('app_definition.json'));
        app.workflow.apiKeys = [{ name: 'prod', key: 'kg-123' }];
        const env = JSON.parse(bankingFileText('env_variables.json'));
        env.variables[0].value = 'a-secure-value';
        files['app_definition.json'] = json(app);
        files['env_variables.json'] = json(env);
      }),
    });
    expect(withKey.ok).toBe(false);
    if (withKey.ok) return;
    expect(withKey.problems.map((p) => `${p.file} ${p.place}`)).toEqual([
      'app_definition.json workflow.apiKeys',
      'env_variables.json variables[0].value',
    ]);
    expect(JSON.stringify(withKey)).not.toContain('a-secure-value');
  });
});

describe('the files that are uploaded', () => {
  it('carry the secure values typed by the user, only into secure variables that travelled empty', () => {
    const content = bankingContent();
    expect(emptySecureVariables(content)).toEqual([
      { name: 'CRM_TOKEN', notes: 'set after import', fromRedaction: false },
    ]);
    const files = filesForUpload(content, { CRM_TOKEN: 'typed-1', BASE_URL: 'not-secure-so-ignored' });
    const uploaded = readPackageFiles({
      'app_definition.json': files.app,
      'flow_definition.json': files.flow,
      'env_variables.json': files.env,
    }).content;
    const value = (name: string) => uploaded.env.variables.find((v) => v.name === name)?.value;
    expect(value('CRM_TOKEN')).toBe('typed-1');
    expect(value('BASE_URL')).toBe('https://crm.example.com');
    // The package itself is left as it was.
    expect(content.env.variables.find((v) => v.name === 'CRM_TOKEN')?.value).toBe('');
    expect(uploaded.flow).toEqual(content.flow);
  });

  it('written once ahead, only the environment file is written again for typed values, to the same bytes', () => {
    const content = bankingContent();
    const ahead = serializeForUpload(content);
    expect(filesForUpload(content, {}, ahead)).toBe(ahead);
    const typed = filesForUpload(content, { CRM_TOKEN: 'typed-1' }, ahead);
    expect(typed.flow).toBe(ahead.flow);
    // The same bytes as the whole package written with the value set (the package writer's path, not this one's).
    const withValue = {
      ...content,
      env: {
        ...content.env,
        variables: content.env.variables.map((v) =>
          v.name === 'CRM_TOKEN' ? { ...v, value: 'typed-1' } : v,
        ),
      },
    };
    expect(typed.env).toEqual(serializeForUpload(withValue).env);
    expect(new TextDecoder().decode(typed.env)).toContain('typed-1');
  });

  it('marks the variables redaction made for secrets it removed', () => {
    const content = bankingContent();
    content.env.variables.push({ name: 'PORTER_API0001_AUTHORIZATION', value: '', secure: true, notes: 'x' });
    expect(emptySecureVariables(content).map((v) => [v.name, v.fromRedaction])).toEqual([
      ['CRM_TOKEN', false],
      ['PORTER_API0001_AUTHORIZATION', true],
    ]);
  });
});
