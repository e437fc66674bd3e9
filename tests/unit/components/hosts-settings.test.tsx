// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { HostsSettings, type HostPermissions } from '../../../components/HostsSettings';
import { originPattern } from '../../../lib/hosts';

const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 0)));

function fakePermissions(answer: boolean) {
  const granted: string[] = [];
  const requested: string[] = [];
  const permissions: HostPermissions = {
    list: async () => ({ declared: ['https://*.kore.ai/*'], granted: [...granted] }),
    request: async (pattern) => {
      requested.push(pattern);
      if (answer) granted.push(pattern);
      return answer;
    },
    remove: async (pattern) => {
      granted.splice(granted.indexOf(pattern), 1);
      return true;
    },
  };
  return { permissions, requested };
}

async function submit(address: string) {
  const input = document.querySelector('input')!;
  input.value = address;
  await act(() => void input.dispatchEvent(new Event('input', { bubbles: true })));
  await act(
    () => void document.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true })),
  );
  await settle();
}

let root: HTMLElement;
async function mount(permissions: HostPermissions) {
  root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<HostsSettings permissions={permissions} />, root));
  await settle();
}

afterEach(() => {
  render(null, root);
  root.remove();
});

describe('options: platform hosts', () => {
  it('asks for exactly the origin the user names, then lists it with a way to remove it', async () => {
    const { permissions, requested } = fakePermissions(true);
    await mount(permissions);
    expect(document.body.textContent).toContain('https://*.kore.ai/* (built in)');

    await submit('https://afp.example.com:8443/workflows/a-1');
    expect(requested).toEqual(['https://afp.example.com/*']);
    expect(document.querySelector('[role="status"]')?.textContent).toContain(
      'now works on https://afp.example.com/*',
    );
    expect(document.body.textContent).toContain('Remove');
  });

  it('explains a refused or invalid address', async () => {
    const { permissions, requested } = fakePermissions(false);
    await mount(permissions);
    await submit('ftp://files.example.com');
    expect(requested).toEqual([]);
    expect(document.querySelector('[role="alert"]')?.textContent).toMatch(/Enter the address/);
    await submit('afp.example.com');
    expect(requested).toEqual(['https://afp.example.com/*']);
    expect(document.querySelector('[role="alert"]')?.textContent).toMatch(/not granted/);
  });
});

describe('originPattern', () => {
  it('turns an address into one origin’s match pattern', () => {
    expect(originPattern('https://process.example.com/x?y')).toBe('https://process.example.com/*');
    expect(originPattern('http://10.0.0.5:8080')).toBe('http://10.0.0.5/*');
    expect(originPattern('afp.internal')).toBe('https://afp.internal/*');
    expect(originPattern('javascript:alert(1)')).toBeNull();
    expect(originPattern('')).toBeNull();
  });
});
