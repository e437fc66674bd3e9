import { describe, expect, it } from 'vitest';
import { toUiError } from '../../../lib/jobs/errors';
import { PlatformError } from '../../../lib/platform/errors';

const server = (status: number) => toUiError(new PlatformError('SERVER', 'x', { status }));

describe('what the panel says about a platform failure', () => {
  it('tells rate limiting and an unavailable platform apart from an internal error, all with Retry', () => {
    expect(server(429)).toMatchObject({
      message: expect.stringContaining('limiting requests'),
      retryable: true,
    });
    expect(server(503)).toMatchObject({
      message: expect.stringContaining('unavailable right now (HTTP 503)'),
      retryable: true,
    });
    expect(server(502).message).toContain('HTTP 502');
    expect(server(500)).toMatchObject({
      message: expect.stringContaining('internal error'),
      retryable: true,
    });
  });

  it('offers no Retry where retrying cannot help', () => {
    expect(toUiError(new PlatformError('NOT_FOUND', 'x', { status: 404 })).retryable).toBe(false);
    expect(toUiError(new PlatformError('UNAUTHENTICATED', 'x', { status: 401 })).retryable).toBe(false);
  });
});
