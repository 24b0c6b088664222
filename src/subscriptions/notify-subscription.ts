import { SYSTEM } from '../fhir/canonical.js';
import { asCradleError, type CradleError, toOutcome } from '../fhir/outcome.js';
import type { Bundle } from '../fhir/types.js';
import type { NotifyJob } from '../queue/names.js';
import type { Job } from '../queue/queue.js';
import { withFailurePolicy } from '../queue/retry-policy.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Sql } from '../store/db.js';
import type { WorkItem } from '../store/work-store.js';
import type { NotificationType } from './backport.js';
import { queueDueHeartbeats } from './heartbeats.js';
import { eventsNotification, statusNotification } from './notification-content.js';
import { postNotification } from './send-notification.js';
import { eventsBetween, getSubscription, moveStatus, recordNotified, type StoredSubscription } from './subscription-store.js';

type SubscriptionJob = Job<Extract<NotifyJob, { kind: 'subscription' }>>;

/** A subscription changing faster than it can be notified is left to the next job after this many rounds. */
const MAX_ROUNDS = 5;

/**
 * The notify stage: bring one subscription's endpoint up to date — the handshake while it
 * is `requested`, then its pending events in order (at most `maxCount` per Bundle), then a
 * heartbeat if one is due. One job per subscription at a time (the job id is the
 * subscription), draining its outbox item, so notifications leave in event order. Every
 * attempt writes an AuditEvent; failures are retried with backoff, then the subscription is
 * set to `error` and its events wait for `$events` or re-activation.
 */
export async function execNotifyJob(rt: Runtime, job: Job<NotifyJob>): Promise<void> {
  if (job.data.kind === 'heartbeats') return queueDueHeartbeats(rt);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const item = await rt.work.get('notify', job.data.subscriptionId);
    if (!item || (await notifyGeneration(rt, job as SubscriptionJob, item))) return;
  }
}

/** Sends what the subscription needs now; true when no newer work arrived meanwhile. */
async function notifyGeneration(rt: Runtime, job: SubscriptionJob, item: WorkItem): Promise<boolean> {
  let sub = await getSubscription(rt.db, item.key);
  if (sub?.spec.end !== undefined && Date.parse(sub.spec.end) <= Date.parse(rt.clock())) sub = undefined; // past its end: nothing more is sent
  if (sub?.status === 'requested') sub = await handshake(rt, job, sub);
  if (sub?.status === 'active') sub = await sendPendingEvents(rt, job, sub);
  if (sub && heartbeatDue(sub, rt.clock())) await heartbeat(rt, job, sub);
  return rt.db.transaction((tx) => rt.work.complete(tx, item));
}

/** IG, Channels (rest-hook): `requested` until the endpoint accepts a handshake, then `active`. */
async function handshake(rt: Runtime, job: SubscriptionJob, sub: StoredSubscription): Promise<StoredSubscription | undefined> {
  const now = rt.clock();
  return deliverNotification(rt, job, sub, statusNotification(sub, 'handshake', now), { type: 'handshake', focus: [] },
    (tx) => moveStatus(tx, sub, ['requested'], 'active', { nextHeartbeatAt: nextHeartbeat(sub, now) }, now));
}

async function sendPendingEvents(rt: Runtime, job: SubscriptionJob, first: StoredSubscription): Promise<StoredSubscription | undefined> {
  let sub: StoredSubscription | undefined = first;
  while (sub?.status === 'active' && sub.notifiedThrough < sub.eventsSinceStart) {
    const current: StoredSubscription = sub;
    const events = await eventsBetween(rt.db, current.id, current.notifiedThrough + 1, current.eventsSinceStart, current.spec.maxCount);
    if (events.length === 0) break;
    const now = rt.clock();
    const { bundle, shown } = await eventsNotification(rt, current, events, 'event-notification', current.spec.content, now);
    const through = events[events.length - 1]!.number;
    await deliverNotification(rt, job, current, bundle, { type: 'event-notification', focus: shown },
      (tx) => recordNotified(tx, current, through, nextHeartbeat(current, now)));
    sub = await getSubscription(rt.db, current.id);
  }
  return sub;
}

/** A heartbeat that fails is audited but not retried: its absence is the subscriber's signal (IG, Errors). */
async function heartbeat(rt: Runtime, job: SubscriptionJob, sub: StoredSubscription): Promise<void> {
  const now = rt.clock();
  const next = nextHeartbeat(sub, now);
  try {
    await deliverNotification(rt, job, sub, statusNotification(sub, 'heartbeat', now), { type: 'heartbeat', focus: [] },
      (tx) => recordNotified(tx, sub, sub.notifiedThrough, next));
  } catch (err) {
    if (!asCradleError(err).issues.some((i) => i.code.startsWith('CRADLE_SUBSCRIBER_'))) throw err;
    await recordNotified(rt.db, sub, sub.notifiedThrough, next);
  }
}

function heartbeatDue(sub: StoredSubscription, now: string): boolean {
  return (sub.status === 'active' || sub.status === 'error') && sub.nextHeartbeatAt !== null && Date.parse(sub.nextHeartbeatAt) <= Date.parse(now);
}

function nextHeartbeat(sub: StoredSubscription, now: string): string | null {
  return sub.spec.heartbeatSeconds ? new Date(Date.parse(now) + sub.spec.heartbeatSeconds * 1000).toISOString() : null;
}

/** POSTs one notification and audits the attempt; on success `onSent` runs in the audit's transaction. */
async function deliverNotification<T>(rt: Runtime, job: SubscriptionJob, sub: StoredSubscription, bundle: Bundle,
  what: { type: NotificationType; focus: readonly string[] }, onSent: (tx: Sql) => Promise<T>): Promise<T> {
  try {
    await postNotification(sub.id, sub.spec, bundle);
  } catch (err) {
    const error = asCradleError(err);
    await rt.db.transaction((tx) => audit(rt, tx, sub, job, what, error));
    rt.logger.warn({ queue: 'notify', jobId: job.id, subscriptionId: sub.id, notification: what.type, attempt: job.attempt, issue: error.message }, 'notification failed');
    throw error;
  }
  return rt.db.transaction(async (tx) => {
    await audit(rt, tx, sub, job, what, undefined);
    return onSent(tx);
  });
}

/** Who (the subscriber's client), what (the subscription and the Flags shown), the outcome; never the payload. */
async function audit(rt: Runtime, tx: Sql, sub: StoredSubscription, job: SubscriptionJob,
  what: { type: NotificationType; focus: readonly string[] }, error: CradleError | undefined): Promise<void> {
  await rt.audit.record(tx, {
    interaction: 'operation',
    action: 'E',
    outcome: !error ? 'success' : error.retryable ? 'minor-failure' : 'serious-failure',
    agent: { system: SYSTEM.client, value: sub.clientId, requestor: false },
    entities: [`Subscription/${sub.id}`, ...new Set(what.focus)],
    detail: { notification: what.type, attempt: String(job.attempt), 'max-attempts': String(job.maxAttempts) },
    ...(error ? { outcomeDescription: error.message } : {}),
  }, rt.clock());
}

/**
 * After the last attempt (or a permanent refusal): the subscription is set to `error`
 * (IG, Errors) with the outcome, its outbox item is completed, and its events are kept —
 * the subscriber finds the gap with `$status` and fills it with `$events`.
 */
export async function notifyJobFailed(rt: Runtime, job: Job<NotifyJob>, error: CradleError): Promise<void> {
  if (job.data.kind !== 'subscription') {
    rt.logger.error({ queue: 'notify', jobId: job.id, issue: error.message }, 'heartbeat tick failed');
    return;
  }
  const id = job.data.subscriptionId;
  const now = rt.clock();
  await rt.db.transaction(async (tx) => {
    const sub = await getSubscription(tx, id);
    if (sub) await moveStatus(tx, sub, ['requested', 'active'], 'error', { lastError: toOutcome(error.issues) }, now);
    const item = await rt.work.get('notify', id, tx);
    if (item) await rt.work.complete(tx, item);
  });
  rt.logger.error({ queue: 'notify', jobId: job.id, subscriptionId: id, codes: error.issues.map((i) => i.code) }, 'subscription set to error');
}

export function notifyProcessor(rt: Runtime) {
  return withFailurePolicy<NotifyJob>((job) => execNotifyJob(rt, job), (job, err) => notifyJobFailed(rt, job, err));
}
