import { describe, expect, it, vi } from 'vitest';
import { importTargets, isOriginGranted, matchPattern } from '../../../lib/hosts';

/**
 * `permissions.contains` as Firefox answers it: a pattern with a port is never held, and a held pattern covers a
 * host it names exactly or through a leading `*.`.
 */
function firefoxContains(granted: string[]) {
  return vi.fn(async ({ origins }: { origins: string[] }) =>
    origins.every((asked) => {
      const match = /^(https?):\/\/([^/]+)\/\*$/.exec(asked);
      if (!match || /:\d+$/.test(match[2]!)) return false;
      const [, scheme, host] = match;
      return granted.some((pattern) => {
        const [, heldScheme, heldHost] = /^(https?):\/\/([^/]+)\/\*$/.exec(pattern)!;
        if (heldScheme !== scheme) return false;
        if (heldHost!.startsWith('*.'))
          return host!.endsWith(heldHost!.slice(1)) || host === heldHost!.slice(2);
        return heldHost === host;
      });
    }),
  );
}

describe('matchPattern', () => {
  it('drops the port, which match patterns do not carry', () => {
    expect(matchPattern('http://127.0.0.1:33845')).toBe('http://127.0.0.1/*');
    expect(matchPattern('https://afp.example.com:8443/anything')).toBe('https://afp.example.com/*');
  });

  it('keeps an origin without a port as it is', () => {
    expect(matchPattern('https://afp.kore.ai')).toBe('https://afp.kore.ai/*');
    expect(matchPattern('http://localhost')).toBe('http://localhost/*');
  });

  it('keeps the brackets of an IPv6 literal', () => {
    expect(matchPattern('http://[::1]:8080')).toBe('http://[::1]/*');
    expect(matchPattern('https://[2001:db8::7]')).toBe('https://[2001:db8::7]/*');
  });

  it('leaves a granted wildcard host the pattern it is', () => {
    expect(matchPattern('https://*.kore.ai/*')).toBe('https://*.kore.ai/*');
  });

  it('has no pattern for what is not a web origin', () => {
    for (const origin of ['null', 'file:///etc/passwd', 'moz-extension://abc', 'data:text/html,x', '']) {
      expect(matchPattern(origin), origin).toBeNull();
    }
  });
});

describe('isOriginGranted', () => {
  const granted = ['https://*.kore.ai/*', 'http://127.0.0.1/*', 'http://[::1]/*'];

  it('finds the permission for a page on a port (the sandbox, an on-premises installation)', async () => {
    expect(await isOriginGranted('http://127.0.0.1:33845', firefoxContains(granted))).toBe(true);
    expect(await isOriginGranted('http://[::1]:8080', firefoxContains(granted))).toBe(true);
  });

  it('finds it under a granted wildcard host, with or without a port', async () => {
    expect(await isOriginGranted('https://afp.kore.ai', firefoxContains(granted))).toBe(true);
    expect(await isOriginGranted('https://afp.kore.ai:8443', firefoxContains(granted))).toBe(true);
  });

  it('refuses a host that was not granted, and never asks for a non-web origin', async () => {
    expect(await isOriginGranted('https://kore.ai.evil.example', firefoxContains(granted))).toBe(false);
    expect(await isOriginGranted('http://127.0.0.2:33845', firefoxContains(granted))).toBe(false);
    expect(await isOriginGranted('https://127.0.0.1', firefoxContains(granted))).toBe(false);
    const contains = firefoxContains(granted);
    expect(await isOriginGranted('null', contains)).toBe(false);
    expect(contains).not.toHaveBeenCalled();
  });
});

describe('importTargets', () => {
  it("lists the package's own platform first, port and all, then each granted single host", () => {
    expect(
      importTargets('http://127.0.0.1:33845', [
        'https://afp.example.com/*',
        'http://127.0.0.1/*',
        'http://localhost/*',
      ]),
    ).toEqual(['http://127.0.0.1:33845', 'https://afp.example.com', 'http://localhost']);
  });

  it('names no platform for a wildcard host, and none twice', () => {
    expect(
      importTargets(undefined, [
        'https://*.kore.ai/*',
        'https://*/*',
        'https://a.example/*',
        'https://a.example/*',
      ]),
    ).toEqual(['https://a.example']);
  });

  it('skips an origin that is no web address (a zip opened from disk)', () => {
    expect(importTargets('file', ['https://a.example/*'])).toEqual(['https://a.example']);
  });
});
