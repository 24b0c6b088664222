import type { MiddlewareHandler } from 'hono';
import type { ClientConfig } from '../config/config.js';
import { CradleError } from '../fhir/outcome.js';
import type { GatewayEnv } from './context.js';

interface Bucket { tokens: number; at: number }

/**
 * Per-client rate limit: a token bucket (`burst` deep, refilled at `requestsPerMinute`),
 * kept per gateway process — with N gateways the total is N times the limit, which is what
 * protects each process. Over the limit: 429 with Retry-After and an OperationOutcome.
 * Runs after authentication, so it counts by client, not by address. The operator's
 * CRADLE_ADMIN_TOKEN is not limited (bulk loads, replays); configured clients always are.
 */
export function rateLimit(options: { clients: readonly ClientConfig[]; requestsPerMinute: number; burst: number; now?: () => number }): MiddlewareHandler<GatewayEnv> {
  const buckets = new Map<string, Bucket>();
  const perMinute = new Map(options.clients.map((c) => [c.id, c.requestsPerMinute ?? options.requestsPerMinute]));
  const now = options.now ?? Date.now;
  return async function limitRequests(c, next) {
    const principal = c.get('principal');
    if (principal.operator) return next();
    const client = principal.clientId;
    const rate = (perMinute.get(client) ?? options.requestsPerMinute) / 60_000;
    const t = now();
    const bucket = buckets.get(client) ?? { tokens: options.burst, at: t };
    bucket.tokens = Math.min(options.burst, bucket.tokens + (t - bucket.at) * rate);
    bucket.at = t;
    buckets.set(client, bucket);
    if (bucket.tokens < 1) {
      c.header('Retry-After', String(Math.ceil((1 - bucket.tokens) / rate / 1000)));
      throw new CradleError('CRADLE_RATE_LIMITED', { diagnostics: `client ${client} is over its limit of ${Math.round(rate * 60_000)} requests a minute` });
    }
    bucket.tokens -= 1;
    await next();
  };
}
