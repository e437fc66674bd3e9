/**
 * axe-core run in the page itself, the same way in both browsers: its source is evaluated as a script (the
 * extension pages' policy forbids eval, a driver's evaluation is not bound by it), then `axe.run`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs in the page once AXE_SOURCE is: the serious and critical violations, as `rule: element, element`. */
export async function seriousViolations(): Promise<string[]> {
  const { axe } = globalThis as unknown as {
    axe: {
      run(
        context: Document,
        options: { resultTypes: string[] },
      ): Promise<{ violations: { id: string; impact?: string | null; nodes: { target: unknown[] }[] }[] }>;
    };
  };
  const { violations } = await axe.run(document, { resultTypes: ['violations'] });
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}
