import type { Config } from '../config/config.js';
import { practicesOf, routeFamily, type Route } from '../delivery/routing.js';
import { CradleError } from '../fhir/outcome.js';
import type { DetectedIssue, Flag } from '../fhir/types.js';
import { validateResources } from '../fhir/validator.js';
import { familyGroup } from '../identity/family-group.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import type { AssessJob } from '../queue/names.js';
import type { Job } from '../queue/queue.js';
import { withFailurePolicy } from '../queue/retry-policy.js';
import { reconcileAlerts } from '../rules/alerts.js';
import { runRules } from '../rules/engine.js';
import type { Rule } from '../rules/rule.js';
import type { Sql } from '../store/db.js';
import { loadFamilyPicture } from '../store/family-loader.js';
import type { PutResult } from '../store/resource-store.js';
import type { WorkItem } from '../store/work-store.js';
import { recordFlagEvents, wakeSubscribers } from '../subscriptions/record-events.js';
import type { Runtime } from '../runtime/runtime.js';
import { observeAlertsRaised } from './alert-latency.js';
import { raiseAssessmentFailure } from './assess-failure.js';

/** A family changing faster than it can be assessed is left to the next job after this many rounds. */
const MAX_ROUNDS = 5;

/**
 * The assess stage: load the family picture, run the rules, reconcile Flags, and queue a
 * delivery for every recipient whose copy must change. One job per family at a time (the
 * job id is the family), and the job drains: if the family changed again while it was being
 * assessed, it assesses again, so an older picture can never be written after a newer one.
 */
export async function execAssessJob(rt: Runtime, job: Job<AssessJob>): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const item = await rt.work.get('assess', job.data.familyKey);
    if (!item || (await assessGeneration(rt, job, item))) return;
  }
}

/** Assesses the family as it is now; true when no newer change arrived meanwhile. */
async function assessGeneration(rt: Runtime, job: Job<AssessJob>, item: WorkItem): Promise<boolean> {
  const familyKey = item.key;
  const log = rt.logger.child({ queue: 'assess', jobId: job.id, familyKey, generation: item.generation });
  const now = rt.clock();
  const picture = await loadFamilyPicture(rt.db, rt.families, familyKey, now);
  const runs = runRules(picture, rt.rules, rt.config.rules, now);
  const changes = reconcileAlerts(picture, runs, now, (rule) => protocolUrl(rt, rule));
  for (const f of changes.failed) log.error({ ruleId: f.ruleId, err: f.error }, 'safeguarding rule failed: error Flag raised');
  for (const f of changes.failed) rt.metrics.ruleFailed(f.ruleId);
  const routes = routeFamily(picture, rt.config.recipients);
  const group = familyGroup(picture, { practices: practicesOf(picture), teams: routes.map((r) => ({ id: r.recipient.id, name: r.recipient.name, kind: r.recipient.kind })) });
  const invalid = validateResources([...changes.resources, group]);
  if (invalid.length > 0) throw CradleError.of(invalid);

  const { due, completed, notify } = await rt.db.transaction(async (tx) => {
    const written = await rt.resources.putMany(tx, changes.resources, { sourceKey: null, now });
    await rt.resources.putMany(tx, [group], { sourceKey: null, now });
    const recipients = await recipientsDue(rt, tx, picture, routes, changes.resources, written);
    await rt.deliveries.markPending(tx, familyKey, recipients, now);
    const marked = await rt.work.mark(tx, 'deliver', recipients.map((id) => `${id}|${familyKey}`), now);
    // FHIR Subscriptions: an event per changed Flag per subscriber that may see it, committed with the Flag.
    const notify = await recordFlagEvents(rt, tx, written, now);
    return { due: marked, completed: await rt.work.complete(tx, item), notify };
  });
  if (due.length > 0) {
    await rt.queue.add('deliver', due.map((w) => ({ recipientId: w.key.split('|')[0]!, familyKey, generation: w.generation })));
  }
  await wakeSubscribers(rt, notify);
  log.info({ flags: changes.resources.filter((r) => r.resourceType === 'Flag').length, withdrawn: changes.withdrawn.length, deliveries: due.length }, 'family assessed');
  await observeAlertsRaised(rt, changes.resources, now);
  return completed;
}

/**
 * Recipients whose copy of the family must change: every routed recipient when its Flags
 * changed, a recipient newly routed (a change of GP or address), and every recipient the
 * family is no longer routed to, so its copy is withdrawn. A family that never had a Flag
 * is sent to nobody.
 */
async function recipientsDue(rt: Runtime, tx: Sql, picture: FamilyPicture, routes: Route[],
  written: Array<Flag | DetectedIssue>, results: PutResult[]): Promise<string[]> {
  const flags = [...picture.flags, ...written.filter((r): r is Flag => r.resourceType === 'Flag')];
  if (flags.length === 0) return [];
  const flagsChanged = results.some((w) => w.changed);
  const holding = new Set((await rt.deliveries.forFamily(picture.key, tx)).filter((d) => d.status !== 'withdrawn').map((d) => d.recipientId));
  const wanted = [...new Set([...routes.map((r) => r.recipient.id), ...escalationRecipients(rt.config, flags)])];
  const due = wanted.filter((id) => flagsChanged || !holding.has(id));
  const gone = [...holding].filter((id) => !wanted.includes(id));
  return [...new Set([...due, ...gone])];
}

/** The escalation recipient receives a family while one of its alerts is escalated (unseen too long). */
export function escalationRecipients(config: Config, flags: readonly Flag[]): string[] {
  const recipient = config.delivery.escalation.recipient;
  const escalated = flags.some((f) => f.status === 'active' && f.code.coding?.some((c) => c.code === 'alert-not-seen'));
  return recipient && escalated ? [recipient] : [];
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

export function assessProcessor(rt: Runtime) {
  return withFailurePolicy<AssessJob>((job) => execAssessJob(rt, job), (job, err) => assessJobFailed(rt, job, err));
}
