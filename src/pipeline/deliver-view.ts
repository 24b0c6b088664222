import { pushView } from '../delivery/push.js';
import { escalationRecipients, isRouted } from '../delivery/routing.js';
import { buildView, buildWithdrawal } from '../delivery/view.js';
import { asCradleError, type CradleError, toOutcome } from '../fhir/outcome.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import { inBatches } from '../queue/batch.js';
import type { DeliverJob } from '../queue/names.js';
import type { Job } from '../queue/queue.js';
import { withFailurePolicy } from '../queue/retry-policy.js';
import type { DeliveryState } from '../store/delivery-store.js';
import { loadFamilyPictures } from '../store/family-loader.js';
import type { WorkItem } from '../store/work-store.js';
import type { Runtime } from '../runtime/runtime.js';
import { stableHash } from '../util/stable-json.js';
import { auditPush, type Delivery, recordDeliveries } from './deliver-record.js';

const MAX_ROUNDS = 5;
/** Delivery batches running at once: a recipient that is timing out holds up only its own batch. */
export const DELIVER_IN_FLIGHT = 4;

/**
 * The deliver stage: bring one recipient's copy of one family up to date. Routed: push the
 * current view, unless the recipient already has exactly this view. No longer routed (a
 * change of GP or address): push the withdrawal once. One job per recipient and family at a
 * time, draining changes that arrive meanwhile, so pushes to a recipient stay in order.
 * Every attempt writes an AuditEvent; failures are retried with backoff, then parked.
 */
export async function execDeliverJob(rt: Runtime, job: Job<DeliverJob>): Promise<void> {
  const [outcome] = await execDeliverBatch(rt, [job]);
  if (outcome !== undefined) throw outcome;
}

/**
 * {@link execDeliverJob} for a batch of jobs (distinct recipient and family pairs,
 * queue/batch.ts): the pictures and delivery states are read together, the pushes go out
 * side by side, and what they did is written in one transaction. Returns each job's
 * outcome: undefined, or the error that job fails with (its own push's, typically).
 */
export async function execDeliverBatch(rt: Runtime, jobs: ReadonlyArray<Job<DeliverJob>>): Promise<unknown[]> {
  const byKey = new Map(jobs.map((j) => [`${j.data.recipientId}|${j.data.familyKey}`, j]));
  const failed = new Map<string, unknown>();
  let keys = [...byKey.keys()];
  for (let round = 0; round < MAX_ROUNDS && keys.length > 0; round++) {
    const items = await rt.work.getMany('deliver', keys);
    if (items.size === 0) break;
    const now = rt.clock();
    const due = [...items.values()].map((item) => ({ item, job: byKey.get(item.key)! }));
    const pictures = await loadFamilyPictures(rt.db, rt.families, [...new Set(due.map((d) => d.job.data.familyKey))], now);
    const states = await rt.deliveries.getMany(due.map((d) => d.job.data));
    const deliveries = due.map(({ item, job }) => plan(rt, job, item, pictures.get(job.data.familyKey)!, states.get(item.key), now));
    await Promise.all(deliveries.map(async (d) => {
      if (!d.push) return;
      try {
        await push(rt, d, now);
      } catch (err) {
        failed.set(d.item.key, err);
      }
    }));
    keys = await recordDeliveries(rt, deliveries.filter((d) => !failed.has(d.item.key)), now, failed);
  }
  return jobs.map((j) => failed.get(`${j.data.recipientId}|${j.data.familyKey}`));
}

/** What this job must do: push a view or a withdrawal, or only settle the delivery's status. */
function plan(rt: Runtime, job: Job<DeliverJob>, item: WorkItem, picture: FamilyPicture, state: DeliveryState | undefined, now: string): Delivery {
  const { recipientId } = job.data;
  const recipient = rt.config.recipients.find((r) => r.id === recipientId);
  const base = { job, item, picture, state, recipient };
  if (!recipient) return base;
  const routed = isRouted(picture, recipient) || escalationRecipients(rt.config, picture.flags).includes(recipientId);
  if (!routed && (state?.status === 'withdrawn' || !state?.deliveredHash)) return { ...base, settle: 'withdrawn' };
  const view = routed ? buildView(picture, recipient, now) : buildWithdrawal(picture, now);
  if (!view) return base;
  const hash = stableHash(view);
  if (routed && state?.status === 'delivered' && state.deliveredHash === hash) return base;
  return { ...base, push: { recipient, view, hash, routed } };
}

async function push(rt: Runtime, d: Delivery, now: string): Promise<void> {
  const { recipient, view } = d.push!;
  const log = rt.logger.child({ queue: 'deliver', jobId: d.job.id, familyKey: d.job.data.familyKey, recipientId: recipient.id, attempt: d.job.attempt });
  try {
    await pushView(recipient, view, rt.recipientAuth);
    log.info('view delivered');
  } catch (err) {
    const error = asCradleError(err);
    await rt.db.transaction(async (tx) => {
      await rt.audit.record(tx, auditPush(recipient, view, d.job, { ok: false, error }), now);
      await rt.deliveries.recordAttempt(tx, recipient.id, d.job.data.familyKey, { status: 'pending', outcome: toOutcome(error.issues) }, now);
    });
    log.warn({ err: error }, 'push failed');
    throw error;
  }
}

/** After the last attempt (or a permanent 4xx): park the delivery for an operator to re-send. */
export async function deliverJobFailed(rt: Runtime, job: Job<DeliverJob>, error: CradleError): Promise<void> {
  const { recipientId, familyKey } = job.data;
  const now = rt.clock();
  await rt.db.transaction(async (tx) => {
    await rt.deliveries.setStatus(tx, recipientId, familyKey, 'parked', toOutcome(error.issues), now);
    const item = await rt.work.get('deliver', `${recipientId}|${familyKey}`, tx);
    if (item) await rt.work.complete(tx, item);
  });
  rt.logger.error({ queue: 'deliver', jobId: job.id, familyKey, recipientId, err: error }, 'delivery parked');
}

/** The deliver queue's processor: jobs in natural batches of up to `maxBatch`, `DELIVER_IN_FLIGHT` at once (queue/batch.ts). */
export function deliverProcessor(rt: Runtime, maxBatch = 1) {
  const run = maxBatch > 1 ? inBatches<DeliverJob>((jobs) => execDeliverBatch(rt, jobs), { maxBatch, inFlight: DELIVER_IN_FLIGHT, onBatch: (n) => rt.metrics.batchRan('deliver', n) }) : (job: Job<DeliverJob>) => execDeliverJob(rt, job);
  return withFailurePolicy<DeliverJob>(run, (job, err) => deliverJobFailed(rt, job, err));
}
