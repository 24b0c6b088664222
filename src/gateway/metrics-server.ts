import { Hono } from 'hono';
import type { Runtime } from '../runtime/runtime.js';
import { authenticate, requireRole } from './auth.js';
import type { GatewayEnv } from './context.js';
import { onError, onNotFound } from './errors.js';
import { requestContext } from './request-context.js';
import { listen, type Listening } from './server.js';

/**
 * `cradle worker`'s own `/metrics` on METRICS_PORT: this process's instruments only (job
 * durations, ingest → Flag and Flag → delivered histograms, rule failures, process metrics).
 * The store's figures are left to the gateways, so a Prometheus scraping every process counts
 * them once. Same bearer tokens and role (commissioner; admin passes) as the gateway's.
 */
export async function serveWorkerMetrics(rt: Runtime, port: number): Promise<Listening> {
  const app = new Hono<GatewayEnv>();
  app.use('*', requestContext(rt.logger));
  app.onError(onError);
  app.notFound(onNotFound);
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.use('/metrics', authenticate({ clients: rt.config.clients, adminTokenSha256: rt.config.adminTokenSha256, db: rt.db, now: () => Date.parse(rt.clock()) }));
  app.get('/metrics', requireRole('commissioner'), async (c) =>
    c.body(await rt.metrics.exposition({ figures: false }), 200, { 'content-type': rt.metrics.contentType, 'cache-control': 'no-store' }));
  return listen(app, port);
}
