import type { RecipientConfig } from '../config/config.js';
import { pushView } from '../delivery/push.js';
import { isRouted } from '../delivery/routing.js';
import { buildView, buildWithdrawal } from '../delivery/view.js';
import { SYSTEM } from '../fhir/canonical.js';
import { asCradleError, type CradleError, toOutcome } from '../fhir/outcome.js';
import type { Bundle } from '../fhir/types.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import type { DeliverJob } from '../queue/names.js';
import type { Job } from '../queue/queue.js';
import { withFailurePolicy } from '../queue/retry-policy.js';
import { loadFamilyPicture } from '../store/family-loader.js';
import type { WorkItem } from '../store/work-store.js';
import type { Runtime } from '../runtime/runtime.js';
import { stableHash } from '../util/stable-json.js';
import { observeViewDelivered } from './alert-latency.js';
import { escalationRecipients } from './assess-family.js';

const MAX_ROUNDS = 5;

/**
 * The deliver stage: bring one recipient's copy of one family up to date. Routed: push the
 * current view, unless the recipient already has exactly this view. No longer routed (a
 * change of GP or address): push the withdrawal once. One job per recipient and family at a
 * time, draining changes that arrive meanwhile, so pushes to a recipient stay in order.
 * Every attempt writes an AuditEvent; failures are retried with backoff, then parked.
 */
export async function execDeliverJob(rt: Runtime, job: Job<DeliverJob>): Promise<void> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const item = await rt.work.get('deliver', `${job.data.recipientId}|${job.data.familyKey}`);
    if (!item || (await deliverGeneration(rt, job, item))) return;
  }
}

async function deliverGeneration(rt: Runtime, job: Job<DeliverJob>, item: WorkItem): Promise<boolean> {
  const { recipientId, familyKey } = job.data;
  const recipient = rt.config.recipients.find((r) => r.id === recipientId);
  const now = rt.clock();
  const picture = await loadFamilyPicture(rt.db, rt.families, familyKey, now);
  const state = await rt.deliveries.get(recipientId, familyKey);
  const routed = recipient !== undefined && (isRouted(picture, recipient) || escalationRecipients(rt.config, picture.flags).includes(recipientId));
  const finish = (status?: 'delivered' | 'withdrawn') => rt.db.transaction(async (tx) => {
    if (status && state && state.status !== status) await rt.deliveries.setStatus(tx, recipientId, familyKey, status, undefined, now);
    return rt.work.complete(tx, item);
  });
  if (!recipient) return finish();
  if (!routed && (state?.status === 'withdrawn' || !state?.deliveredHash)) return finish('withdrawn');
  const view = routed ? buildView(picture, recipient, now) : buildWithdrawal(picture, now);
  if (!view) return finish();
  const hash = stableHash(view);
  if (routed && state?.status === 'delivered' && state.deliveredHash === hash) return finish();
  await push(rt, job, recipient, view, familyKey);
  return rt.db.transaction(async (tx) => {
    await audit(rt, tx, recipient, view, job, { ok: true }, now);
    await rt.deliveries.recordAttempt(tx, recipientId, familyKey, { status: routed ? 'delivered' : 'withdrawn', hash }, now);
    if (routed) observeViewDelivered(rt, recipient, picture.flags, await rt.alertStates.delivered(tx, recipientId, activeFlagIds(picture), now), now);
    return rt.work.complete(tx, item);
  });
}

async function push(rt: Runtime, job: Job<DeliverJob>, recipient: RecipientConfig, view: Bundle, familyKey: string): Promise<void> {
  const log = rt.logger.child({ queue: 'deliver', jobId: job.id, familyKey, recipientId: recipient.id, attempt: job.attempt });
  try {
    await pushView(recipient, view, rt.recipientAuth);
    log.info('view delivered');
  } catch (err) {
    const error = asCradleError(err);
    const now = rt.clock();
    await rt.db.transaction(async (tx) => {
      await audit(rt, tx, recipient, view, job, { ok: false, error }, now);
      await rt.deliveries.recordAttempt(tx, recipient.id, familyKey, { status: 'pending', outcome: toOutcome(error.issues) }, now);
    });
    log.warn({ err: error }, 'push failed');
    throw error;
  }
}

function activeFlagIds(picture: FamilyPicture): string[] {
  return picture.flags.filter((f) => f.status === 'active').map((f) => f.id!);
}

async function audit(rt: Runtime, tx: Parameters<Runtime['audit']['record']>[0], recipient: RecipientConfig, view: Bundle,
  job: Job<DeliverJob>, result: { ok: true } | { ok: false; error: CradleError }, now: string): Promise<void> {
  const entities = (view.entry ?? []).map((e) => e.fullUrl?.replace('urn:uuid:', `${e.resource?.resourceType}/`)).filter((x): x is string => !!x && !x.startsWith('Provenance/'));
  await rt.audit.record(tx, {
    interaction: 'transaction',
    action: 'E',
    outcome: result.ok ? 'success' : result.error.retryable ? 'minor-failure' : 'serious-failure',
    agent: { system: SYSTEM.recipient, value: recipient.id, requestor: false },
    entities,
    detail: { attempt: String(job.attempt), 'max-attempts': String(job.maxAttempts) },
    ...(result.ok ? {} : { outcomeDescription: result.error.message }),
  }, now);
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

export function deliverProcessor(rt: Runtime) {
  return withFailurePolicy<DeliverJob>((job) => execDeliverJob(rt, job), (job, err) => deliverJobFailed(rt, job, err));
}
