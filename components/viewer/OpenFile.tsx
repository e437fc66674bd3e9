/** Open a package zip from disk: a file picker, and a drop zone for the whole page area. */
import { useState } from 'preact/hooks';

export function OpenFile({ onFile }: { onFile: (name: string, bytes: Uint8Array) => void }) {
  const [over, setOver] = useState(false);
  const take = async (file: File | undefined) => {
    if (file) onFile(file.name, new Uint8Array(await file.arrayBuffer()));
  };
  return (
    <section
      class={over ? 'drop over' : 'drop'}
      aria-labelledby="open-title"
      data-testid="drop-zone"
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        void take(event.dataTransfer?.files[0]);
      }}
    >
      <h2 id="open-title">Open a package from disk</h2>
      <p>
        Drop a package zip here, or{' '}
        <label class="file-button">
          choose a file
          <input
            type="file"
            accept=".zip,application/zip"
            onChange={(event) => void take((event.target as HTMLInputElement).files?.[0])}
          />
        </label>
        . It is read here, in the browser, and only kept if you ask.
      </p>
    </section>
  );
}
