import { HEARTBEAT_TICK_MS } from '../src/subscriptions/heartbeats.js';
import { notifyProcessor } from '../src/subscriptions/notify-subscription.js';
import type { Runtime } from '../src/runtime/runtime.js';

/**
 * The `notify` worker: FHIR Subscription notifications (handshakes, events, heartbeats) →
 * subscribers' rest-hook endpoints. It also schedules the heartbeat tick, once across all
 * processes.
 */
export async function startNotifyWorker(rt: Runtime, concurrency = 4): Promise<void> {
  rt.queue.work('notify', notifyProcessor(rt), { concurrency });
  await rt.queue.schedule('notify', { kind: 'heartbeats' }, HEARTBEAT_TICK_MS);
}
