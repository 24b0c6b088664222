import { randomUUID } from 'node:crypto';
import type { Bundle, Flag } from '../fhir/types.js';
import type { Runtime } from '../runtime/runtime.js';
import type { NotificationType, PayloadContent } from './backport.js';
import { type NotificationEvent, notificationBundle, type StatusInput } from './status-bundle.js';
import { SubscriberScope } from './subscriber-scope.js';
import { focusVersions, type StoredEvent, type StoredSubscription } from './subscription-store.js';

/** The status a notification or query reports for a subscription, without events. */
export function statusInputOf(sub: StoredSubscription, type: NotificationType, content: PayloadContent = sub.spec.content): StatusInput {
  const issue = sub.status === 'error' ? sub.lastError?.issue[0] : undefined;
  const code = issue?.details?.coding?.[0]?.code;
  return {
    base: sub.serverBase,
    subscriptionId: sub.id,
    status: sub.status,
    type,
    eventsSinceStart: sub.eventsSinceStart,
    content,
    ...(code ? { error: { code, text: issue?.diagnostics ?? code } } : {}),
  };
}

/** A handshake or heartbeat: status only. */
export function statusNotification(sub: StoredSubscription, type: 'handshake' | 'heartbeat', now: string): Bundle {
  return notificationBundle(statusInputOf(sub, type), { bundle: randomUUID(), status: randomUUID() }, now);
}

/**
 * A Bundle reporting stored events (`event-notification` when pushed, `query-event` for
 * `$events`). Each Flag is shown as it was right after its change. Scope is checked again
 * now: an event about a family no longer routed to the subscriber keeps its number (so the
 * subscriber sees no false gap) but loses its focus and resource.
 */
export async function eventsNotification(rt: Runtime, sub: StoredSubscription, events: readonly StoredEvent[],
  type: 'event-notification' | 'query-event', content: PayloadContent, now: string): Promise<{ bundle: Bundle; shown: string[] }> {
  const versions = await focusVersions(rt.db, events);
  const visible = await new SubscriberScope(rt.config, rt.deliveries, rt.db).filter(sub.clientId, [...versions.values()]);
  const shown: string[] = [];
  const reported: NotificationEvent[] = events.map((e) => {
    const flag: Flag | undefined = versions.get(`${e.focus}|${e.focusVersion}`);
    if (!flag || !visible.has(e.focus)) return { number: e.number, timestamp: e.occurredAt };
    shown.push(e.focus);
    return { number: e.number, timestamp: e.occurredAt, focus: { ref: e.focus, created: e.created, resource: flag } };
  });
  const input = { ...statusInputOf(sub, type, content), events: reported };
  return { bundle: notificationBundle(input, { bundle: randomUUID(), status: randomUUID() }, now), shown: content === 'empty' ? [] : shown };
}
