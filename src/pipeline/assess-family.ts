import { familyGroup } from '../identity/family-group.js';
import { practicesOf, routeFamily } from '../delivery/routing.js';
import { CradleError } from '../fhir/outcome.js';
import { validateResources } from '../fhir/validator.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import type { AssessJob } from '../queue/names.js';
import type { Job } from '../queue/queue.js';
import { inBatches } from '../queue/batch.js';
import { withFailurePolicy } from '../queue/retry-policy.js';
import { reconcileAlerts } from '../rules/alerts.js';
import { runRules } from '../rules/engine.js';
import type { Rule } from '../rules/rule.js';
import { loadFamilyPictures } from '../store/family-loader.js';
import type { WorkItem } from '../store/work-store.js';
import type { Runtime } from '../runtime/runtime.js';
import { raiseAssessmentFailure } from './assess-failure.js';
import { type Assessment, writeAssessments } from './assess-write.js';

/** A family changing faster than it can be assessed is left to the next job after this many rounds. */
const MAX_ROUNDS = 5;

/**
 * The assess stage: load the family picture, run the rules, reconcile Flags, and queue a
 * delivery for every recipient whose copy must change. One job per family at a time (the
 * job id is the family), and the job drains: if the family changed again while it was being
 * assessed, it assesses again, so an older picture can never be written after a newer one.
 */
export async function execAssessJob(rt: Runtime, job: Job<AssessJob>): Promise<void> {
  const [outcome] = await execAssessBatch(rt, [job]);
  if (outcome !== undefined) throw outcome;
}

/**
 * {@link execAssessJob} for a batch of jobs (distinct families, queue/batch.ts): the
 * pictures are read together and the assessments written in one transaction, so a busy
 * pipeline pays the store's per-statement costs once a batch. Returns each job's outcome:
 * undefined, or the error that job fails with; one family's failure never fails another's.
 */
export async function execAssessBatch(rt: Runtime, jobs: ReadonlyArray<Job<AssessJob>>): Promise<unknown[]> {
  const byFamily = new Map(jobs.map((j) => [j.data.familyKey, j]));
  const failed = new Map<string, unknown>();
  let keys = [...byFamily.keys()];
  for (let round = 0; round < MAX_ROUNDS && keys.length > 0; round++) {
    const items = await rt.work.getMany('assess', keys);
    if (items.size === 0) break;
    const now = rt.clock();
    const pictures = await loadFamilyPictures(rt.db, rt.families, [...items.keys()], now);
    const ready: Assessment[] = [];
    for (const item of items.values()) {
      try {
        ready.push(assess(rt, byFamily.get(item.key)!, item, pictures.get(item.key)!, now));
      } catch (err) {
        failed.set(item.key, err);
      }
    }
    keys = await writeAssessments(rt, ready, now, failed);
  }
  return jobs.map((j) => failed.get(j.data.familyKey));
}

/** Rules → Flags → routes → the family Group, validated. Pure but for the log and the metric of a failed rule. */
function assess(rt: Runtime, job: Job<AssessJob>, item: WorkItem, picture: FamilyPicture, now: string): Assessment {
  const runs = runRules(picture, rt.rules, rt.config.rules, now);
  const changes = reconcileAlerts(picture, runs, now, (rule) => protocolUrl(rt, rule));
  for (const f of changes.failed) {
    rt.logger.error({ queue: 'assess', jobId: job.id, familyKey: item.key, generation: item.generation, ruleId: f.ruleId, err: f.error },
      'safeguarding rule failed: error Flag raised');
    rt.metrics.ruleFailed(f.ruleId);
  }
  const routes = routeFamily(picture, rt.config.recipients);
  const group = familyGroup(picture, { practices: practicesOf(picture), teams: routes.map((r) => ({ id: r.recipient.id, name: r.recipient.name, kind: r.recipient.kind })) });
  const invalid = validateResources([...changes.resources, group]);
  if (invalid.length > 0) throw CradleError.of(invalid);
  return { job, item, picture, changes, routes, group };
}

function protocolUrl(rt: Runtime, rule: Rule): string {
  const configured = rt.config.rules[rule.id]?.protocolUrl;
  return typeof configured === 'string' ? configured : rule.protocol.url;
}

/**
 * An assessment that keeps failing leaves its work item in place, so the recovery sweep
 * tries again later, is logged as an error, and raises a high-priority error Flag on the
 * family (assess-failure.ts): a family that cannot be assessed must never read as "no concern".
 */
export async function assessJobFailed(rt: Runtime, job: Job<AssessJob>, error: CradleError): Promise<void> {
  const log = rt.logger.child({ queue: 'assess', jobId: job.id, familyKey: job.data.familyKey });
  log.error({ err: error }, 'family assessment failed; will be retried by the recovery sweep');
  try {
    const raised = await raiseAssessmentFailure(rt, job.data.familyKey, error);
    if (raised > 0) rt.metrics.ruleFailed('assessment');
  } catch (err) {
    log.error({ err }, 'could not raise the assessment error Flag either (is the store down?); the recovery sweep retries');
  }
}

/** The assess queue's processor: jobs in natural batches of up to `maxBatch` families (queue/batch.ts). */
export function assessProcessor(rt: Runtime, maxBatch = 1) {
  const run = maxBatch > 1 ? inBatches<AssessJob>((jobs) => execAssessBatch(rt, jobs), { maxBatch, onBatch: (n) => rt.metrics.batchRan('assess', n) }) : (job: Job<AssessJob>) => execAssessJob(rt, job);
  return withFailurePolicy<AssessJob>(run, (job, err) => assessJobFailed(rt, job, err));
}
