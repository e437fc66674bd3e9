import { describe, expect, it } from 'vitest';
import {
  PlatformError,
  errorFromStatus,
  fromResponse,
  parseErrorBody,
} from '../../../lib/platform/errors.ts';

describe('PlatformError mapping', () => {
  it('maps the contract statuses and codes', async () => {
    const cases: [number, string | undefined, string][] = [
      [401, 'UNAUTHENTICATED', 'UNAUTHENTICATED'],
      [401, 'INVALID_CREDENTIALS', 'UNAUTHENTICATED'],
      [403, 'FORBIDDEN', 'FORBIDDEN'],
      [404, 'NOT_FOUND', 'NOT_FOUND'],
      [409, 'CONFLICT', 'CONFLICT'],
      [409, 'NAME_EXISTS', 'NAME_EXISTS'],
      [409, 'PARENT_NOT_DEPLOYED', 'PARENT_NOT_DEPLOYED'],
      [422, 'INVALID', 'INVALID'],
      [422, 'SCHEMA_MISMATCH', 'IMPORT_FAILED'],
      [500, 'INTERNAL', 'SERVER'],
      [503, undefined, 'SERVER'],
      [504, undefined, 'TIMEOUT'],
      [418, undefined, 'BAD_RESPONSE'],
    ];
    for (const [status, code, expected] of cases) {
      const response = new Response(JSON.stringify({ error: { code, message: 'server says so' } }), {
        status,
      });
      const error = await fromResponse(response, 'doing a thing');
      expect(error, `${status} ${code}`).toBeInstanceOf(PlatformError);
      expect(error.code, `${status} ${code}`).toBe(expected);
      expect(error.status).toBe(status);
    }
  });

  it('marks only transient failures retryable', () => {
    expect(errorFromStatus(500, undefined).retryable).toBe(true);
    expect(errorFromStatus(429, undefined).retryable).toBe(true);
    expect(errorFromStatus(401, undefined).retryable).toBe(false);
    expect(errorFromStatus(403, undefined).retryable).toBe(false);
    expect(new PlatformError('NETWORK', 'x').retryable).toBe(true);
    expect(new PlatformError('IMPORT_FAILED', 'x').retryable).toBe(false);
  });

  it('survives bodies that are not JSON', async () => {
    const error = await fromResponse(new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(error.code).toBe('SERVER');
    expect(error.message).toMatch(/HTTP 502/);
  });

  it('keeps the server message and details', async () => {
    const error = await fromResponse(
      new Response(
        JSON.stringify({
          error: { code: 'FORBIDDEN', message: 'Viewers cannot export', details: { role: 'tool viewer' } },
        }),
        {
          status: 403,
        },
      ),
      'exporting',
    );
    expect(error.message).toContain('Viewers cannot export');
    expect(error.details).toEqual({ role: 'tool viewer' });
    expect(error.jobCode).toBe('FORBIDDEN');
  });

  it("puts the platform's own words after the explanation, or first with advice", () => {
    expect(
      errorFromStatus(404, { code: 'NOT_FOUND', message: 'Version not found.' }, 'starting the export')
        .message,
    ).toBe('Not found while starting the export: Version not found.');
    expect(
      errorFromStatus(409, { code: 'NAME_EXISTS', message: 'A workflow named "X" already exists.' }).message,
    ).toBe('A workflow named "X" already exists. Choose another name.');
    expect(errorFromStatus(409, { code: 'NAME_EXISTS' }).message).toMatch(/choose another name/);
  });

  it('reads flat and nested error bodies', () => {
    expect(parseErrorBody({ error: { code: 'X', message: 'y' } })).toEqual({ code: 'X', message: 'y' });
    expect(parseErrorBody({ code: 'X', message: 'y' })).toEqual({ code: 'X', message: 'y' });
    expect(parseErrorBody({ error: 'plain' })).toEqual({ message: 'plain' });
    expect(parseErrorBody('nope')).toBeUndefined();
  });
});
