import { assessProcessor } from '../src/pipeline/assess-family.js';
import { execSweepJob } from '../src/pipeline/sweep.js';
import type { Runtime } from '../src/runtime/runtime.js';

/** Families assessed together in one batch (queue/batch.ts); the queue keeps twice as many jobs active, so the next batch fills meanwhile. */
export const ASSESS_BATCH = 16;

/**
 * The `assess` worker: family picture → safeguarding rules → Flags. It also runs the
 * scheduled sweeps — overdue pregnancies (birth-not-notified) and high-priority alerts nobody
 * has seen (escalation) — each scheduled once across all processes.
 */
export async function startAssessWorker(rt: Runtime, maxBatch = ASSESS_BATCH): Promise<void> {
  rt.queue.work('assess', assessProcessor(rt, maxBatch), { concurrency: 2 * maxBatch });
  rt.queue.work('sweep', (job) => execSweepJob(rt, job), { concurrency: 1 });
  const minutes = Number(rt.config.rules['birth-not-notified']?.sweepEveryMinutes ?? 60);
  if (rt.config.rules['birth-not-notified']?.enabled !== false) await rt.queue.schedule('sweep', { kind: 'overdue-pregnancies' }, minutes * 60_000);
  await rt.queue.schedule('sweep', { kind: 'unseen-alerts' }, rt.config.delivery.escalation.sweepEveryMinutes * 60_000);
}
