import type { Flag } from '../fhir/types.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Sql } from '../store/db.js';
import type { PutResult } from '../store/resource-store.js';
import type { WorkItem } from '../store/work-store.js';
import { matchesFilters } from './filters.js';
import { SubscriberScope } from './subscriber-scope.js';
import { appendEvents, liveSubscriptions } from './subscription-store.js';
import { inTopic } from './topic.js';

/**
 * Records an event for every subscription that may hear of each changed safeguarding Flag,
 * in the transaction that wrote the Flags: a change is committed together with its events
 * and their notification work (the outbox), or not at all. Each subscription gets only the
 * Flags of families its client may read now and that pass its filters; its events are
 * numbered in order (subscription-store `appendEvents`). Returns the work to wake up after
 * commit with {@link wakeSubscribers}.
 *
 * @example const notify = await recordFlagEvents(rt, tx, written, now); // inside the transaction
 */
export async function recordFlagEvents(rt: Runtime, tx: Sql, written: readonly PutResult[], now: string): Promise<WorkItem[]> {
  const changed = written.filter((w) => w.changed && w.ref.startsWith('Flag/'));
  if (changed.length === 0) return [];
  const subscriptions = await liveSubscriptions(tx, now);
  if (subscriptions.length === 0) return [];
  const flags = new Map(((await rt.resources.readRefs(changed.map((w) => w.ref), tx)) as Flag[]).filter(inTopic).map((f) => [`Flag/${f.id}`, f]));
  const scope = new SubscriberScope(rt.config, rt.deliveries, tx);
  const notified: string[] = [];
  // In id order, the order the subscription rows are locked in, so two transactions never deadlock on them.
  for (const sub of subscriptions) {
    const visible = await scope.filter(sub.clientId, [...flags.values()]);
    const events = changed
      .filter((w) => visible.has(w.ref) && matchesFilters(flags.get(w.ref)!, sub.spec.filters))
      .map((w) => ({ focus: w.ref, focusVersion: w.versionId, created: w.created, occurredAt: now }));
    if (events.length === 0) continue;
    if ((await appendEvents(tx, sub.id, events)) !== undefined) notified.push(sub.id);
  }
  return rt.work.mark(tx, 'notify', notified, now);
}

/** Queues the notification jobs for work recorded by a committed transaction. */
export async function wakeSubscribers(rt: Runtime, items: readonly WorkItem[]): Promise<void> {
  if (items.length === 0) return;
  await rt.queue.add('notify', items.map((w) => ({ kind: 'subscription' as const, subscriptionId: w.key, generation: w.generation })));
}
