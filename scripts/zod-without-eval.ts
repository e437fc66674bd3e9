import type { Plugin } from 'vite';

/**
 * zod v4 probes at run time whether `new Function` works, to compile fast parsers with it. Extension pages forbid
 * eval (MV3's CSP) and Firefox's add-on review flags the probe (`DANGEROUS_EVAL`), so the build gives zod its answer
 * instead: no eval, which is what `z.config({ jitless: true })` does at run time, but with no `Function(...)` left in
 * any bundle. The build fails if zod's probe changes shape, rather than keep it silently.
 */
const PROBE = /export const allowsEval = \/\* @__PURE__\*\/ cached\(\(\) => \{[\s\S]*?\n\}\);/;

export function zodWithoutEval(): Plugin {
  return {
    name: 'porter:zod-without-eval',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]node_modules[\\/]zod[\\/]v4[\\/]core[\\/]util\.js$/.test(id)) return null;
      if (!PROBE.test(code))
        this.error('zod changed its eval probe (allowsEval): update scripts/zod-without-eval.ts');
      return { code: code.replace(PROBE, 'export const allowsEval = { value: false };'), map: null };
    },
  };
}
