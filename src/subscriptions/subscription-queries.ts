import { randomUUID } from 'node:crypto';
import { SYSTEM } from '../fhir/canonical.js';
import { CradleError } from '../fhir/outcome.js';
import type { Bundle } from '../fhir/types.js';
import type { Runtime } from '../runtime/runtime.js';
import { isPayloadContent, type PayloadContent } from './backport.js';
import { eventsNotification, statusInputOf } from './notification-content.js';
import { statusSearchset } from './status-bundle.js';
import { type Caller, isAdmin, ownSubscription } from './subscription-api.js';
import { eventsBetween, listSubscriptions, type StoredSubscription } from './subscription-store.js';

/** `$events` returns at most this many events per call; a subscriber pages on with eventsSinceNumber (IG, Errors: servers MAY limit). */
export const MAX_EVENTS_PER_QUERY = 500;

/** `GET /fhir/Subscription?status=`: the caller's own subscriptions (admin: all). */
export async function searchSubscriptions(rt: Runtime, caller: Caller, params: URLSearchParams): Promise<Bundle> {
  const { statuses } = statusParams(params, ['status', '_count', '_format']);
  const subs = (await visibleSubscriptions(rt, caller)).filter((s) => statuses.length === 0 || statuses.includes(s.status));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: subs.length,
    entry: subs.map((s) => ({ fullUrl: `${s.serverBase}/Subscription/${s.id}`, resource: s.resource, search: { mode: 'match' as const } })),
  };
}

/**
 * `$status` (OperationDefinition backport-subscription-status): a searchset of status
 * Parameters (`query-status`), for one subscription or — at type level, filtered by `id` and
 * `status` — every subscription the caller may see. Counts only: no Flag is named.
 */
export async function subscriptionStatus(rt: Runtime, caller: Caller, id: string | undefined, params: URLSearchParams): Promise<Bundle> {
  const { statuses, ids } = statusParams(params, ['id', 'status', '_format']);
  const subs = id !== undefined ? [await ownSubscription(rt, caller, id)]
    : (await visibleSubscriptions(rt, caller)).filter((s) => (ids.length === 0 || ids.includes(s.id)) && (statuses.length === 0 || statuses.includes(s.status)));
  return statusSearchset(subs.map((s) => ({ input: statusInputOf(s, 'query-status'), id: randomUUID() })), randomUUID(), rt.clock());
}

/**
 * `$events` (OperationDefinition backport-subscription-events): the stored events from
 * `eventsSinceNumber` to `eventsUntilNumber` (inclusive; default all) as a `query-event`
 * history Bundle, with `content` (default the subscription's) deciding how much of each Flag
 * is shown. Scoped again now, and audited as a read of the Flags shown.
 */
export async function subscriptionEvents(rt: Runtime, caller: Caller, id: string, params: URLSearchParams): Promise<Bundle> {
  const sub = await ownSubscription(rt, caller, id);
  statusParams(params, ['eventsSinceNumber', 'eventsUntilNumber', 'content', '_format']);
  const from = eventNumber(params, 'eventsSinceNumber') ?? 1;
  const to = Math.min(eventNumber(params, 'eventsUntilNumber') ?? sub.eventsSinceStart, sub.eventsSinceStart);
  const content = contentParam(params) ?? sub.spec.content;
  const events = from <= to ? await eventsBetween(rt.db, sub.id, from, to, MAX_EVENTS_PER_QUERY) : [];
  const now = rt.clock();
  const { bundle, shown } = await eventsNotification(rt, sub, events, 'query-event', content, now);
  await rt.audit.record(rt.db, {
    interaction: 'operation',
    action: 'R',
    outcome: 'success',
    agent: { system: SYSTEM.client, value: caller.clientId, requestor: true },
    entities: [`Subscription/${sub.id}`, ...new Set(shown)],
    query: `Subscription/${sub.id}/$events?${params}`,
    detail: { 'request-id': caller.requestId },
  }, now);
  return bundle;
}

function visibleSubscriptions(rt: Runtime, caller: Caller): Promise<StoredSubscription[]> {
  return listSubscriptions(rt.db, isAdmin(caller) ? undefined : caller.clientId);
}

/** Values of repeated or comma-separated parameters; a parameter not in `allowed` is refused, as in searches. */
function statusParams(params: URLSearchParams, allowed: readonly string[]): { statuses: string[]; ids: string[] } {
  for (const name of params.keys()) {
    if (!allowed.includes(name)) throw new CradleError('CRADLE_SEARCH_UNSUPPORTED', { diagnostics: `parameter ${name} is not supported here (supported: ${allowed.join(', ')})` });
  }
  const values = (name: string) => params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return { statuses: values('status'), ids: values('id') };
}

function eventNumber(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(raw.trim())) throw new CradleError('CRADLE_SEARCH_INVALID', { diagnostics: `${name} must be an event number (1, 2, 3…)` });
  return Number(raw.trim());
}

function contentParam(params: URLSearchParams): PayloadContent | undefined {
  const raw = params.get('content');
  if (raw === null) return undefined;
  if (!isPayloadContent(raw)) throw new CradleError('CRADLE_SEARCH_INVALID', { diagnostics: 'content must be empty, id-only or full-resource' });
  return raw;
}
