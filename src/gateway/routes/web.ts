import { Hono, type MiddlewareHandler } from 'hono';
import type { Runtime } from '../../runtime/runtime.js';
import { WebSessionStore } from '../../store/web-session-store.js';
import type { GatewayEnv } from '../context.js';
import { WebAuth } from '../web-auth.js';
import { dashboardRoutes } from './dashboard.js';
import { metricsRoutes } from './metrics.js';

/**
 * What people and Prometheus open rather than call: `/metrics`, `/dashboard…` (and the queue
 * board under it). `bearer` is the API's own authentication, used as is for bearer tokens;
 * browsers sign in once and carry a session cookie.
 */
export function webRoutes(rt: Runtime, bearer: MiddlewareHandler<GatewayEnv>): Hono<GatewayEnv> {
  const web = new WebAuth({
    clients: rt.config.clients, adminTokenSha256: rt.config.adminTokenSha256, bearer,
    sessions: new WebSessionStore(rt.db), clock: rt.clock,
  });
  const app = new Hono<GatewayEnv>();
  app.route('/metrics', metricsRoutes(rt, web));
  app.route('/dashboard', dashboardRoutes(rt, web));
  return app;
}
