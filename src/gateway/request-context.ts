import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../observability/logger.js';
import type { GatewayEnv } from './context.js';

/**
 * Gives each request an id (X-Request-Id, echoed back) and a child logger, and logs one
 * line per request: method, route, status, duration. Never the body or query values,
 * which can carry NHS numbers.
 */
export function requestContext(logger: Logger): MiddlewareHandler<GatewayEnv> {
  return async function requestLog(c, next) {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    c.set('log', logger.child({ requestId }));
    c.header('X-Request-Id', requestId);
    const started = performance.now();
    await next();
    c.get('log').debug({ method: c.req.method, route: c.req.routePath, status: c.res.status, ms: Math.round(performance.now() - started) }, 'request');
  };
}
