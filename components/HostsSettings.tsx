/**
 * Options: which platform hosts AFP Porter works on. The product's own hosts come with the extension; any other
 * (an on-premises installation) is granted here, one origin at a time, and can be taken back.
 */
import { useEffect, useState } from 'preact/hooks';
import { originPattern } from '../lib/hosts';

export interface HostPermissions {
  list(): Promise<{ declared: string[]; granted: string[] }>;
  request(pattern: string): Promise<boolean>;
  remove(pattern: string): Promise<boolean>;
}

export function HostsSettings({ permissions }: { permissions: HostPermissions }) {
  const [hosts, setHosts] = useState<{ declared: string[]; granted: string[] }>({
    declared: [],
    granted: [],
  });
  const [address, setAddress] = useState('');
  const [message, setMessage] = useState<{ kind: 'status' | 'alert'; text: string } | null>(null);

  const refresh = async () => setHosts(await permissions.list());
  useEffect(() => void refresh(), []);

  const grant = async (event: Event) => {
    event.preventDefault();
    const pattern = originPattern(address.trim());
    if (!pattern) {
      setMessage({
        kind: 'alert',
        text: 'Enter the address of your AI for Process installation, like https://afp.example.com.',
      });
      return;
    }
    const granted = await permissions.request(pattern);
    setMessage(
      granted
        ? { kind: 'status', text: `AFP Porter now works on ${pattern}. Reload its tabs to see the panel.` }
        : { kind: 'alert', text: `Access to ${pattern} was not granted.` },
    );
    if (granted) setAddress('');
    await refresh();
  };

  return (
    <main class="page">
      <h1>AFP Porter options</h1>
      <section aria-labelledby="hosts-title">
        <h2 id="hosts-title">Platform hosts</h2>
        <p>AFP Porter works on these AI for Process hosts:</p>
        <ul>
          {hosts.declared.map((host) => (
            <li key={host}>
              {host} <span class="muted">(built in)</span>
            </li>
          ))}
          {hosts.granted.map((host) => (
            <li key={host}>
              {host}{' '}
              <button type="button" onClick={() => void permissions.remove(host).then(refresh)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
        <form onSubmit={(event) => void grant(event)}>
          <label for="host">Another installation</label>{' '}
          <input
            id="host"
            type="url"
            placeholder="https://afp.example.com"
            value={address}
            onInput={(event) => setAddress((event.target as HTMLInputElement).value)}
          />{' '}
          <button type="submit">Grant access</button>
        </form>
        {message && <p role={message.kind}>{message.text}</p>}
      </section>
    </main>
  );
}
