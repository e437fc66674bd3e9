/** Runs ./layout-worker.ts for one package and ends it: a worker holds ELK's code (megabytes) only while it works. */
export function layOutInWorker(packageId: string): Promise<boolean> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./layout-worker.ts', import.meta.url), { type: 'module' });
    const end = (done: boolean) => {
      worker.terminate();
      resolve(done);
    };
    worker.onmessage = (event: MessageEvent<unknown>) => end(event.data === true);
    worker.onerror = () => end(false);
    worker.postMessage(packageId);
  });
}
