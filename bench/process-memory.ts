/** The kernel's view of this process's memory (Linux), for the benchmarks' memory children. */
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * The V8 flag of the memory children that measure what a pipeline holds rather than how far V8 lets its young
 * generation grow before collecting it (core.ts `InputResult.memoryCapped`).
 */
export const CAPPED_YOUNG_GENERATION = '--max-semi-space-size=1';

/** Resident size now and its high-water mark, in bytes; null where /proc is not there. */
export function procStatus(): { rss: number; hwm: number } | null {
  try {
    const text = readFileSync('/proc/self/status', 'utf8');
    const kb = (name: string) =>
      Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(text)?.[1] ?? Number.NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** Resets the high-water mark to the current size; false where the kernel does not allow it. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export async function settle(gc: () => void): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
