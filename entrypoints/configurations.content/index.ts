import { PRODUCT_MATCHES } from '../../lib/hosts';
import { runFeatures } from '../../lib/page/features';
import { answerProxyFetches } from './proxy-fetch';
import { FEATURES } from './features';

export default defineContentScript({
  // The sandbox build adds loopback (wxt.config.ts); hosts granted at run time register this script themselves.
  matches: PRODUCT_MATCHES,
  runAt: 'document_idle',
  cssInjectionMode: 'manual',
  main(ctx) {
    const lifetime = new AbortController();
    ctx.onInvalidated(() => lifetime.abort());
    answerProxyFetches(lifetime.signal);
    runFeatures(FEATURES, document, ctx, lifetime.signal);
  },
});
