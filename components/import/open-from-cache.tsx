/**
 * Opens "Import into AI for Process…" over an extension page (the package viewer): in a shadow root of its own, so
 * the dialog looks as it does in the platform's pages and the page's styles do not reach it. Returns the close
 * function (also called when the user closes the dialog).
 */
import { render } from 'preact';
import css from '../panel.css?inline';
import { ImportFromCache } from './ImportFromCache';
import type { SendToWorker } from '../../lib/protocol/channel';

export function openImportFromCache(options: {
  send: SendToWorker;
  packageId: string;
  hosts: string[];
  /** Where the dialog's host element goes (default: the page's body). */
  parent?: HTMLElement;
}): () => void {
  const host = document.createElement('porter-import');
  const root = host.attachShadow({ mode: 'open' });
  const style = document.createElement('style');
  style.textContent = css;
  const container = document.createElement('div');
  root.append(style, container);
  (options.parent ?? document.body).append(host);
  const close = () => {
    render(null, container);
    host.remove();
  };
  render(
    <ImportFromCache
      send={options.send}
      packageId={options.packageId}
      hosts={options.hosts}
      onClose={close}
    />,
    container,
  );
  return close;
}
