// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { PackageViewer, type PackageSource } from '../../../components/PackageViewer';

const empty: PackageSource = {
  list: async () => [],
  meta: async () => undefined,
  bytes: async () => undefined,
};

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

afterEach(() => {
  render(null, document.body);
  location.hash = '';
});

describe('PackageViewer', () => {
  it('says a package is not in the cache, also for a malformed id in the address', async () => {
    for (const hash of ['#/package/no-such-id', '#/package/%E0%A4%A']) {
      location.hash = hash;
      await act(() => render(<PackageViewer source={empty} />, document.body));
      await settle();
      expect(document.querySelector('[role="alert"]')?.textContent).toBe(
        'This package is not in the cache any more.',
      );
      render(null, document.body);
    }
  });
});
