import type { Runtime } from '../runtime/runtime.js';
import { wakeSubscribers } from './record-events.js';
import { heartbeatsDue } from './subscription-store.js';

/** How often the repeatable tick looks for due heartbeats: heartbeat periods are whole seconds (backport-heartbeat-period). */
export const HEARTBEAT_TICK_MS = 1000;

/**
 * The heartbeat tick (a repeatable job, once across all processes): marks notification work
 * for every subscription whose heartbeat is due, through the same outbox as events, so the
 * heartbeat goes out in order with them from the subscription's own job.
 */
export async function queueDueHeartbeats(rt: Runtime): Promise<void> {
  const now = rt.clock();
  const due = await heartbeatsDue(rt.db, now);
  if (due.length === 0) return;
  const items = await rt.db.transaction((tx) => rt.work.mark(tx, 'notify', due, now));
  await wakeSubscribers(rt, items);
}
