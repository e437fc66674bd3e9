/** The Banking Assistant package kept in tests/fixtures/packages: its files as text, and read as a package. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readPackageFiles } from '../../lib/package/zip-read.ts';
import type { PackageContent } from '../../lib/package/schemas.ts';

const BANKING_FIXTURE_DIR = join(import.meta.dirname, '../fixtures/packages/banking-assistant');

export function bankingFileText(name: 'app_definition.json' | 'flow_definition.json' | 'env_variables.json') {
  return readFileSync(join(BANKING_FIXTURE_DIR, name), 'utf8');
}

export function bankingContent(): PackageContent {
  return readPackageFiles({
    app: bankingFileText('app_definition.json'),
    flow: bankingFileText('flow_definition.json'),
    env: bankingFileText('env_variables.json'),
  }).content;
}
