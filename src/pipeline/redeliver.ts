import type { Runtime } from '../runtime/runtime.js';

/**
 * Makes deliveries due again — an operator's re-send, or the sweep retrying one parked while
 * its recipient was unreachable: marks them pending, records the outbox item, then queues
 * the job (a lost job is re-created from the outbox like any other).
 */
export async function redeliver(rt: Runtime, targets: ReadonlyArray<{ recipientId: string; familyKey: string }>): Promise<void> {
  if (targets.length === 0) return;
  const now = rt.clock();
  const items = await rt.db.transaction(async (tx) => {
    for (const t of targets) await rt.deliveries.markPending(tx, t.familyKey, [t.recipientId], now);
    return rt.work.mark(tx, 'deliver', targets.map((t) => `${t.recipientId}|${t.familyKey}`), now);
  });
  await rt.queue.add('deliver', items.map((item) => {
    const [recipientId, familyKey] = item.key.split('|') as [string, string];
    return { recipientId, familyKey, generation: item.generation };
  }));
}
