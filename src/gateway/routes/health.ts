import { Hono } from 'hono';
import { CradleError } from '../../fhir/outcome.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { GatewayEnv } from '../context.js';

/** `/healthz`: the process answers. `/readyz`: the store and the queue answer too. No auth: load balancers call these. */
export function healthRoutes(rt: Runtime): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', async (c) => {
    const [store, queue] = await Promise.all([rt.db.ping(), rt.queue.ping()]);
    if (!store || !queue) {
      throw new CradleError('CRADLE_NOT_READY', { diagnostics: `store ${store ? 'up' : 'down'} (${rt.db.kind}), queue ${queue ? 'up' : 'down'} (${rt.queue.kind})` });
    }
    return c.json({ status: 'ready', store: rt.db.kind, queue: rt.queue.kind });
  });
  return app;
}
