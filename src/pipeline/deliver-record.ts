import type { RecipientConfig } from '../config/config.js';
import { SYSTEM } from '../fhir/canonical.js';
import type { CradleError } from '../fhir/outcome.js';
import type { Bundle } from '../fhir/types.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import type { DeliverJob } from '../queue/names.js';
import type { Job } from '../queue/queue.js';
import type { AuditRecord } from '../store/audit.js';
import type { DeliveryState } from '../store/delivery-store.js';
import type { WorkItem } from '../store/work-store.js';
import type { Runtime } from '../runtime/runtime.js';
import { observeViewDelivered } from './alert-latency.js';

/** One job's delivery as planned (deliver-view.ts): a push made, or only a status to settle. */
export interface Delivery {
  job: Job<DeliverJob>;
  item: WorkItem;
  picture: FamilyPicture;
  state: DeliveryState | undefined;
  recipient: RecipientConfig | undefined;
  /** No push: the delivery's status becomes this (a withdrawal nobody holds). */
  settle?: 'withdrawn';
  /** The view (or withdrawal) pushed successfully before this is recorded. */
  push?: { recipient: RecipientConfig; view: Bundle; hash: string; routed: boolean };
}

/**
 * Records a batch of deliveries in one transaction — the push AuditEvents, the delivery
 * states, when each alert reached each recipient, and the work items done — then the
 * Flag → delivered metric. Should the transaction fail, each delivery is recorded alone, so
 * one's problem fails only its job (in `failed`; the queue retries it and its idempotent push).
 * Returns the deliveries whose work item moved on meanwhile: they need another round.
 */
export async function recordDeliveries(rt: Runtime, deliveries: readonly Delivery[], now: string, failed: Map<string, unknown>): Promise<string[]> {
  if (deliveries.length === 0) return [];
  try {
    return await commitDeliveries(rt, deliveries, now);
  } catch (err) {
    if (deliveries.length === 1) {
      failed.set(deliveries[0]!.item.key, err);
      return [];
    }
    const again: string[] = [];
    for (const d of deliveries) {
      try {
        again.push(...(await commitDeliveries(rt, [d], now)));
      } catch (e) {
        failed.set(d.item.key, e);
      }
    }
    return again;
  }
}

async function commitDeliveries(rt: Runtime, deliveries: readonly Delivery[], now: string): Promise<string[]> {
  const pushed = deliveries.filter((d) => d.push);
  const { completed, previous } = await rt.db.transaction(async (tx) => {
    for (const d of deliveries) {
      if (d.settle && d.state && d.state.status !== d.settle) await rt.deliveries.setStatus(tx, d.job.data.recipientId, d.job.data.familyKey, d.settle, undefined, now);
    }
    await rt.audit.recordMany(tx, pushed.map((d) => auditPush(d.push!.recipient, d.push!.view, d.job, { ok: true })), now);
    await rt.deliveries.recordAttempts(tx, pushed.map((d) => ({ recipientId: d.job.data.recipientId, familyKey: d.job.data.familyKey,
      status: d.push!.routed ? 'delivered' as const : 'withdrawn' as const, hash: d.push!.hash })), now);
    const routed = pushed.filter((d) => d.push!.routed);
    const previous = await rt.alertStates.deliveredMany(tx, routed.map((d) => ({ recipientId: d.job.data.recipientId, flagIds: activeFlagIds(d.picture) })), now);
    return { completed: await rt.work.completeMany(tx, deliveries.map((d) => d.item)), previous };
  });
  // A Flag in two families' views (a father's) reaches a recipient once, however many pushes carried it.
  const observed = new Set<string>();
  for (const d of pushed.filter((p) => p.push!.routed)) {
    const flags = d.picture.flags.filter((f) => !observed.has(`${d.job.data.recipientId}|${f.id}`));
    for (const f of flags) observed.add(`${d.job.data.recipientId}|${f.id}`);
    observeViewDelivered(rt, d.push!.recipient, flags, previous.get(d.job.data.recipientId) ?? new Map(), now);
  }
  return deliveries.filter((d) => !completed.has(d.item.key)).map((d) => d.item.key);
}

function activeFlagIds(picture: FamilyPicture): string[] {
  return picture.flags.filter((f) => f.status === 'active').map((f) => f.id!);
}

/** The AuditEvent of one push attempt: which recipient was sent which resources (never the view itself). */
export function auditPush(recipient: RecipientConfig, view: Bundle, job: Job<DeliverJob>,
  result: { ok: true } | { ok: false; error: CradleError }): AuditRecord {
  const entities = (view.entry ?? []).map((e) => e.fullUrl?.replace('urn:uuid:', `${e.resource?.resourceType}/`)).filter((x): x is string => !!x && !x.startsWith('Provenance/'));
  return {
    interaction: 'transaction',
    action: 'E',
    outcome: result.ok ? 'success' : result.error.retryable ? 'minor-failure' : 'serious-failure',
    agent: { system: SYSTEM.recipient, value: recipient.id, requestor: false },
    entities,
    detail: { attempt: String(job.attempt), 'max-attempts': String(job.maxAttempts) },
    ...(result.ok ? {} : { outcomeDescription: result.error.message }),
  };
}
