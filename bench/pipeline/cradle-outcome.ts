import pg from 'pg';
import { DATABASE_URL } from '../support/services.js';
import { sleep } from '../../tests/faults/support/wait.js';
import type { Sent } from './load.js';
import type { ViewRecipient } from './recipient.js';
import type { BenchMessage } from './workload.js';

/** How one batch of messages came out: per-message latencies (ms) and when the last work finished (epoch ms). */
export interface Outcome {
  processed: number;
  notProcessed: number;
  ingestToProcessed: number[];
  ingestToDelivered: number[];
  lastDoneAt: number;
}

/**
 * Waits until every sent message has finished in Cradle's store and every view it should
 * cause has reached all `recipients`, then reads the latencies: ingest → processed from the
 * inbound message's `received_at` and `updated_at` (status `processed`), ingest → view
 * delivered from `received_at` to the view's arrival at the local recipient.
 */
export async function awaitOutcome(schema: string, messages: readonly BenchMessage[], sent: readonly Sent[],
  recipient: ViewRecipient, timeoutMs: number): Promise<Outcome> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const ids = sent.flatMap((s) => s.messageIds);
    const deadline = Date.now() + timeoutMs;
    const viewsDue = messages.filter((m) => m.view !== undefined);
    const deliveredAt = (m: BenchMessage) => (m.view ? recipient.deliveredAt(m.view.nhs, m.view.recipients) : undefined);
    for (;;) {
      // Whether any is unfinished, not how many: counting thousands of backlog rows every poll
      // cost PostgreSQL ~7 ms a time, CPU taken from the engine under test.
      const { rows } = await client.query(`SELECT 1 FROM ${schema}.inbound_message WHERE status = 'received' LIMIT 1`);
      const missing = viewsDue.filter((m) => deliveredAt(m) === undefined);
      if (rows.length === 0 && missing.length === 0) break;
      if (Date.now() > deadline) {
        const bySource = [...new Set(missing.map((m) => m.source))].map((s) => `${s} ${missing.filter((m) => m.source === s).length}`).join(', ');
        throw new Error(`Cradle did not finish within ${timeoutMs} ms: ${rows.length === 0 ? 'all' : 'not all'} messages processed, views missing for ${missing.length} (${bySource})`);
      }
      await sleep(250);
    }
    const { rows } = await client.query<{ id: string; status: string; received_at: Date; updated_at: Date }>(
      `SELECT id, status, received_at, updated_at FROM ${schema}.inbound_message WHERE id = ANY($1::uuid[])`, [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const processed = rows.filter((r) => r.status === 'processed');
    const ingestToDelivered = messages.flatMap((m, i) => {
      const received = byId.get(sent[i]!.messageIds[0]!)?.received_at.getTime();
      const at = deliveredAt(m);
      return received === undefined || at === undefined ? [] : [at - received];
    });
    return {
      processed: processed.length,
      notProcessed: ids.length - processed.length,
      ingestToProcessed: processed.map((r) => r.updated_at.getTime() - r.received_at.getTime()),
      ingestToDelivered,
      lastDoneAt: latest([...processed.map((r) => r.updated_at.getTime()), ...viewsDue.map((m) => deliveredAt(m)!)]),
    };
  } finally {
    await client.end();
  }
}

/** The largest value (Math.max(...values) overflows the stack for large runs). */
export function latest(values: readonly number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max) max = v;
  return max;
}
