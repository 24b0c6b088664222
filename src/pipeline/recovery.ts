import type { QueueName } from '../queue/names.js';
import type { Runtime } from '../runtime/runtime.js';
import { redeliver } from './redeliver.js';

export interface Requeued {
  map: number;
  assess: number;
  deliver: number;
  notify: number;
  /** Deliveries parked while their recipient was unreachable, tried again. */
  parked: number;
}

/**
 * Re-queues everything accepted but unfinished: messages still `received`, and outbox
 * work items. Run at start-up (everything) and by the sweep (items idle for a while), so
 * a lost job — a crashed worker, a Redis restart that kept nothing — is never lost work.
 * Job ids de-duplicate against jobs still queued. Also retries deliveries parked while
 * their recipient was unreachable (`delivery.retryParkedAfterMinutes`).
 */
export async function requeueUnfinished(rt: Runtime, idleForMs: number): Promise<Requeued> {
  const before = new Date(Date.parse(rt.clock()) - idleForMs).toISOString();
  const messages = await rt.messages.unfinished(before);
  await rt.queue.add('map', messages.map((m) => ({ messageId: m.id, attempt: m.attempts })));
  const items = await rt.work.pending(before);
  const byQueue = (q: QueueName) => items.filter((i) => i.queue === q);
  await rt.queue.add('assess', byQueue('assess').map((i) => ({ familyKey: i.key, generation: i.generation })));
  await rt.queue.add('deliver', byQueue('deliver').map((i) => {
    const [recipientId, familyKey] = i.key.split('|') as [string, string];
    return { recipientId, familyKey, generation: i.generation };
  }));
  await rt.queue.add('notify', byQueue('notify').map((i) => ({ kind: 'subscription' as const, subscriptionId: i.key, generation: i.generation })));
  const parked = await retryUnreachable(rt);
  return { map: messages.length, assess: byQueue('assess').length, deliver: byQueue('deliver').length, notify: byQueue('notify').length, parked };
}

/** Deliveries parked because their recipient was unreachable, `delivery.retryParkedAfterMinutes` ago: due again. */
async function retryUnreachable(rt: Runtime): Promise<number> {
  const minutes = rt.config.delivery.retryParkedAfterMinutes;
  if (minutes <= 0) return 0;
  const parked = await rt.deliveries.parkedUnreachable(new Date(Date.parse(rt.clock()) - minutes * 60_000).toISOString());
  await redeliver(rt, parked);
  return parked.length;
}

/** Starts the periodic sweep; returns a function that stops it. */
export function startRecoverySweep(rt: Runtime): () => void {
  const { sweepIntervalMs, staleAfterMs } = rt.config.recovery;
  if (sweepIntervalMs <= 0) return () => undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    requeueUnfinished(rt, staleAfterMs)
      .then((n) => {
        if (n.map + n.assess + n.deliver + n.notify + n.parked > 0) rt.logger.info(n, 'recovery sweep re-queued work');
      })
      .catch((err: unknown) => rt.logger.warn({ err }, 'recovery sweep failed'))
      .finally(() => {
        running = false;
      });
  }, sweepIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
