import { Hono, type MiddlewareHandler } from 'hono';
import type { Runtime } from '../runtime/runtime.js';
import { authenticate } from './auth.js';
import { rateLimit } from './rate-limit.js';
import { authRoutes } from './routes/auth-token.js';
import type { GatewayEnv } from './context.js';
import { onError, onNotFound } from './errors.js';
import { requestContext } from './request-context.js';
import { adminRoutes } from './routes/admin.js';
import { cdsRoutes } from './routes/cds.js';
import { fhirRoutes } from './routes/fhir.js';
import { healthRoutes } from './routes/health.js';
import { hl7AckRoutes } from './routes/hl7-ack.js';
import { ingestRoutes } from './routes/ingest.js';
import { pullRoutes } from './routes/pull.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { webRoutes } from './routes/web.js';

/**
 * The gateway's Hono app. Tests drive it in-process with `app.request(url, init)`;
 * `cradle gateway` serves it with @hono/node-server.
 */
export function createApp(rt: Runtime, version = '0.1.0'): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.use('*', requestContext(rt.logger));
  app.onError(onError);
  app.notFound(onNotFound);
  app.route('/', healthRoutes(rt));
  app.route('/', authRoutes(rt));
  const authenticated = authenticate({ clients: rt.config.clients, adminTokenSha256: rt.config.adminTokenSha256, db: rt.db, now: () => Date.parse(rt.clock()) });
  const limited = rateLimit({ clients: rt.config.clients, requestsPerMinute: rt.config.limits.requestsPerMinute, burst: rt.config.limits.burst });
  const auth: MiddlewareHandler<GatewayEnv> = (c, next) => authenticated(c, async () => {
    await limited(c, next);
  });
  app.use('/ingest/*', auth);
  app.use('/admin/*', auth);
  app.use('/cds-services', auth);
  app.use('/cds-services/*', auth);
  app.use('/fhir/*', async (c, next) => (c.req.path === '/fhir/metadata' ? next() : auth(c, next)));
  // Before the generic route: HL7 v2 callers asking for ER7 get HL7 ACKs; everyone else falls through.
  app.route('/ingest', hl7AckRoutes(rt));
  app.route('/ingest', ingestRoutes(rt));
  app.route('/ingest', pullRoutes(rt));
  // Before the read-only FHIR API, whose writes answer 405: Subscriptions are the one thing a client writes there.
  app.route('/fhir', subscriptionRoutes(rt));
  app.route('/fhir', fhirRoutes(rt, version));
  app.route('/admin', adminRoutes(rt));
  app.route('/cds-services', cdsRoutes(rt));
  // /metrics and /dashboard: bearer tokens as above, or a browser's dashboard session.
  app.route('/', webRoutes(rt, auth));
  return app;
}
