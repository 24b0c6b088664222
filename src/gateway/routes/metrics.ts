import { Hono } from 'hono';
import type { Runtime } from '../../runtime/runtime.js';
import type { GatewayEnv } from '../context.js';
import type { WebAuth } from '../web-auth.js';

/**
 * `GET /metrics`: Prometheus text — this process's instruments and the store's figures,
 * which are the same on every gateway. Role commissioner (admin passes), by bearer token
 * (Prometheus `authorization: {credentials: …}`) or a dashboard session.
 */
export function metricsRoutes(rt: Runtime, web: WebAuth): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.get('/', web.require('commissioner', 'error'), async (c) => {
    const text = await rt.metrics.exposition({ figures: true });
    return c.body(text, 200, { 'content-type': rt.metrics.contentType, 'cache-control': 'no-store' });
  });
  return app;
}
