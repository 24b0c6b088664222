import { CS } from '../fhir/canonical.js';
import type { SweepJob } from '../queue/names.js';
import type { Job } from '../queue/queue.js';
import type { Runtime } from '../runtime/runtime.js';
import { sweepUnseenAlerts } from './escalation.js';

/**
 * The overdue-pregnancy sweep: re-assesses every family whose active pregnancy's due date
 * has passed by more than the birth-not-notified threshold, so that rule can raise its
 * absence alert. Run as a repeatable job; re-marking a family is harmless (the assessment
 * is idempotent and jobs de-duplicate).
 */
export async function execSweepJob(rt: Runtime, job: Job<SweepJob>): Promise<void> {
  if (job.data.kind === 'unseen-alerts') {
    await sweepUnseenAlerts(rt);
    return;
  }
  const overdueDays = Number(rt.config.rules['birth-not-notified']?.overdueDays ?? 14);
  const now = rt.clock();
  const cutoff = new Date(Date.parse(now) - overdueDays * 86_400_000).toISOString();
  const { rows } = await rt.db.query<{ family_key: string }>(
    `SELECT DISTINCT m.family_key FROM resource r
       JOIN search_token t ON t.res_type = r.res_type AND t.id = r.id AND t.param = 'code' AND t.system = $1 AND t.code = 'estimated-delivery-date'
       JOIN search_reference s ON s.res_type = r.res_type AND s.id = r.id AND s.param = 'patient'
       JOIN family_member m ON 'Patient/' || m.family_key = s.target AND m.role = 'mother'
     WHERE r.res_type = 'Observation' AND NOT r.deleted AND (r.content->>'valueDateTime') < $2
       AND EXISTS (SELECT 1 FROM resource e JOIN search_reference es ON es.res_type = e.res_type AND es.id = e.id AND es.param = 'patient'
                   WHERE e.res_type = 'EpisodeOfCare' AND NOT e.deleted AND es.target = s.target AND e.content->>'status' = 'active')`,
    [CS.observationType, cutoff]);
  if (rows.length === 0) return;
  const items = await rt.db.transaction((tx) => rt.work.mark(tx, 'assess', rows.map((r) => r.family_key), now));
  await rt.queue.add('assess', items.map((w) => ({ familyKey: w.key, generation: w.generation })));
  rt.logger.info({ families: items.length }, 'overdue pregnancies re-assessed');
}
