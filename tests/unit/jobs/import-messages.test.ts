import { describe, expect, it } from 'vitest';
import { describeImportFailure } from '../../../lib/jobs/import-messages';
import { PlatformError } from '../../../lib/platform/errors';

const refused = (jobCode: string, details: unknown) =>
  new PlatformError('IMPORT_FAILED', 'raw', { jobCode, details, retryable: false });

describe('the platform’s refusals in plain words', () => {
  it('a missing scanner: which one, where, and what to do; never the detail object', () => {
    const failure = describeImportFailure(
      refused('MISSING_GUARDRAILS', [
        { scanner: 'Ban Topics', path: 'guardrails.inputScanners[1]' },
        { scanner: 'Bias Detection', path: 'guardrails.outputScanners[0]' },
      ]),
    );
    expect(failure.summary).toBe(
      'The package uses guardrail scanners that are not deployed in this account.',
    );
    expect(failure.problems).toEqual([
      expect.objectContaining({ file: 'app_definition.json', place: 'input scanner 2' }),
      expect.objectContaining({ file: 'app_definition.json', place: 'output scanner 1' }),
    ]);
    expect(failure.problems[0]!.message).toMatch(/^Guardrail scanner "Ban Topics" is not deployed/);
    expect(JSON.stringify(failure)).not.toContain('"scanner"');
  });

  it('schema problems keep their file and path; a newer schema says its version', () => {
    expect(
      describeImportFailure(
        refused('SCHEMA_MISMATCH', [
          { file: 'flow_definition.json', path: 'nodes[2].id', message: 'is required' },
        ]),
      ).problems,
    ).toEqual([{ file: 'flow_definition.json', place: 'nodes[2].id', message: 'is required' }]);
    expect(
      describeImportFailure(
        refused('INCOMPATIBLE_VERSION', [{ file: 'app_definition.json', schemaVersion: '3.1' }]),
      ).problems[0]!.message,
    ).toMatch(/schema version is 3\.1/);
  });

  it('anything else keeps the platform’s own sentence', () => {
    const failure = describeImportFailure(new PlatformError('SERVER', 'The platform reported an error.'));
    expect(failure).toEqual({ code: 'SERVER', summary: 'The platform reported an error.', problems: [] });
  });
});
