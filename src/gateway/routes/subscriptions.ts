import { Hono, type Context } from 'hono';
import { CradleError } from '../../fhir/outcome.js';
import { parseJson } from '../../ingest/json-contract.js';
import type { Runtime } from '../../runtime/runtime.js';
import { TOPIC_BASIC_ID } from '../../subscriptions/backport.js';
import { type Caller, createSubscription, ownSubscription, removeSubscription, updateSubscription } from '../../subscriptions/subscription-api.js';
import { searchSubscriptions, subscriptionEvents, subscriptionStatus } from '../../subscriptions/subscription-queries.js';
import { safeguardingFlagTopic } from '../../subscriptions/topic.js';
import { limitBody } from '../body-limit.js';
import type { GatewayEnv } from '../context.js';
import { FHIR_JSON } from '../errors.js';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const MAX_SUBSCRIPTION_BYTES = 64 * 1024;

/**
 * FHIR Subscriptions (R5 Backport IG for R4), mounted under /fhir before the read-only API:
 * the one exception to its 405 for writes. Clients create, read, update and delete their own
 * Subscriptions and call `$status` and `$events` on them; the topic is published as
 * `Basic/safeguarding-flag`. The FHIR semantics live in src/subscriptions/.
 */
export function subscriptionRoutes(rt: Runtime): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const fhir = (c: Context, body: unknown, status = 200) => c.body(JSON.stringify(body), status as 200, { 'content-type': FHIR_JSON });
  const body = async (c: Context) => parseJson(Buffer.from(await c.req.arrayBuffer()));

  app.get(`/Basic/${TOPIC_BASIC_ID}`, (c) => fhir(c, safeguardingFlagTopic()));

  app.post('/Subscription', limitBody(MAX_SUBSCRIPTION_BYTES), async (c) => {
    const sub = await createSubscription(rt, callerOf(c), await body(c), serverBase(c));
    c.header('Location', `${sub.serverBase}/Subscription/${sub.id}/_history/${sub.revision}`);
    return fhir(c, sub.resource, 201);
  });

  app.get('/Subscription', async (c) => fhir(c, await searchSubscriptions(rt, callerOf(c), new URL(c.req.url).searchParams)));
  app.get('/Subscription/$status', async (c) => fhir(c, await subscriptionStatus(rt, callerOf(c), undefined, new URL(c.req.url).searchParams)));
  app.get('/Subscription/:id/$status', async (c) => fhir(c, await subscriptionStatus(rt, callerOf(c), idOf(c), new URL(c.req.url).searchParams)));
  app.get('/Subscription/:id/$events', async (c) => fhir(c, await subscriptionEvents(rt, callerOf(c), idOf(c), new URL(c.req.url).searchParams)));

  app.get('/Subscription/:id', async (c) => {
    const sub = await ownSubscription(rt, callerOf(c), idOf(c));
    c.header('ETag', `W/"${sub.revision}"`);
    return fhir(c, sub.resource);
  });

  app.put('/Subscription/:id', limitBody(MAX_SUBSCRIPTION_BYTES), async (c) => {
    const sub = await updateSubscription(rt, callerOf(c), idOf(c), await body(c));
    c.header('ETag', `W/"${sub.revision}"`);
    return fhir(c, sub.resource);
  });

  app.delete('/Subscription/:id', async (c) => {
    await removeSubscription(rt, callerOf(c), idOf(c));
    return c.body(null, 204);
  });

  return app;
}

function callerOf(c: Context<GatewayEnv>): Caller {
  const principal = c.get('principal');
  return { clientId: principal.clientId, roles: principal.roles, requestId: c.get('requestId') };
}

function idOf(c: Context): string {
  const id = c.req.param('id') ?? '';
  if (!ID.test(id)) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: 'no such Subscription' });
  return id;
}

/** Cradle's FHIR base as this client reached it: references in notifications are absolute (IG examples). */
function serverBase(c: Context): string {
  return `${new URL(c.req.url).origin}/fhir`;
}
