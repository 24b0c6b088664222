import { CS } from '../fhir/canonical.js';
import type { Bundle, BundleEntry, Flag, Parameters, ParametersParameter } from '../fhir/types.js';
import { BACKPORT, type NotificationType, type PayloadContent, SAFEGUARDING_FLAG_TOPIC, type SubscriptionStatusCode } from './backport.js';

/** One event as a notification reports it. `focus` is left out when the Flag is no longer visible to the subscriber. */
export interface NotificationEvent {
  number: number;
  timestamp: string;
  focus?: { ref: string; created: boolean; resource?: Flag };
}

/** Everything a status resource says; `base` is Cradle's FHIR base URL, for absolute references. */
export interface StatusInput {
  base: string;
  subscriptionId: string;
  status: SubscriptionStatusCode;
  type: NotificationType;
  eventsSinceStart: number;
  content: PayloadContent;
  events?: readonly NotificationEvent[];
  error?: { code: string; text: string };
}

/**
 * The status resource of the Backport IG for R4: a Parameters (profile
 * backport-subscription-status-r4) with subscription, topic, status, type,
 * events-since-subscription-start and one notification-event per event. With an `empty`
 * payload it names neither the topic nor any resource (IG, Payloads).
 */
export function statusParameters(input: StatusInput, id: string): Parameters {
  const parameter: ParametersParameter[] = [
    { name: 'subscription', valueReference: { reference: `${input.base}/Subscription/${input.subscriptionId}` } },
    ...(input.content === 'empty' ? [] : [{ name: 'topic', valueCanonical: SAFEGUARDING_FLAG_TOPIC }]),
    { name: 'status', valueCode: input.status },
    { name: 'type', valueCode: input.type },
    { name: 'events-since-subscription-start', valueString: String(input.eventsSinceStart) },
    ...(input.events ?? []).map((e) => notificationEvent(input, e)),
    ...(input.error ? [{ name: 'error', valueCodeableConcept: { coding: [{ system: CS.issueCode, code: input.error.code }], text: input.error.text } }] : []),
  ];
  return { resourceType: 'Parameters', id, meta: { profile: [BACKPORT.statusProfile] }, parameter };
}

function notificationEvent(input: StatusInput, e: NotificationEvent): ParametersParameter {
  const part: ParametersParameter[] = [
    { name: 'event-number', valueString: String(e.number) },
    { name: 'timestamp', valueInstant: e.timestamp },
  ];
  if (e.focus && input.content !== 'empty') part.push({ name: 'focus', valueReference: { reference: `${input.base}/${e.focus.ref}` } });
  return { name: 'notification-event', part };
}

/**
 * A notification Bundle (profile backport-subscription-notification-r4): `history`, the
 * status Parameters first with a request matching `$status` (bdl-3, bdl-4), then one entry
 * per event's focus Flag — its URL for `id-only`, the Flag itself for `full-resource`, nothing for
 * `empty`. Flag entries carry the change as request/response: POST 201 for a created Flag,
 * PUT 200 for an update. Ids and time are passed in, so the same input gives the same Bundle.
 */
export function notificationBundle(input: StatusInput, ids: { bundle: string; status: string }, now: string): Bundle {
  const status = statusParameters(input, ids.status);
  const statusEntry: BundleEntry = {
    fullUrl: `urn:uuid:${ids.status}`,
    resource: status,
    request: { method: 'GET', url: `${input.base}/Subscription/${input.subscriptionId}/$status` },
    response: { status: '200' },
  };
  return {
    resourceType: 'Bundle',
    id: ids.bundle,
    meta: { profile: [BACKPORT.notificationProfile] },
    type: 'history',
    timestamp: now,
    entry: [statusEntry, ...(input.content === 'empty' ? [] : focusEntries(input))],
  };
}

function focusEntries(input: StatusInput): BundleEntry[] {
  // One entry per event, in event order: a history Bundle may hold several versions of one Flag (bdl-7).
  return (input.events ?? []).flatMap((e) => {
    if (!e.focus) return [];
    const resource = input.content === 'full-resource' ? e.focus.resource : undefined;
    return [{
      fullUrl: `${input.base}/${e.focus.ref}`,
      ...(resource ? { resource } : {}),
      request: e.focus.created ? { method: 'POST' as const, url: e.focus.ref.split('/')[0]! } : { method: 'PUT' as const, url: e.focus.ref },
      response: { status: e.focus.created ? '201' : '200' },
    }];
  });
}

/** `$status` answers a searchset of status resources, one per subscription (OperationDefinition backport-subscription-status). */
export function statusSearchset(statuses: ReadonlyArray<{ input: StatusInput; id: string }>, bundleId: string, now: string): Bundle {
  return {
    resourceType: 'Bundle',
    id: bundleId,
    type: 'searchset',
    timestamp: now,
    total: statuses.length,
    entry: statuses.map((s) => ({ fullUrl: `urn:uuid:${s.id}`, resource: statusParameters(s.input, s.id), search: { mode: 'match' as const } })),
  };
}
