import type { Route } from '../delivery/routing.js';
import { escalationRecipients } from '../delivery/routing.js';
import type { Flag, Group } from '../fhir/types.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import type { AssessJob } from '../queue/names.js';
import type { Job } from '../queue/queue.js';
import type { AlertChanges } from '../rules/alerts.js';
import type { DeliveryState } from '../store/delivery-store.js';
import type { PutResult } from '../store/resource-store.js';
import type { WorkItem } from '../store/work-store.js';
import { recordFlagEvents, wakeSubscribers } from '../subscriptions/record-events.js';
import type { Runtime } from '../runtime/runtime.js';
import { observeAlertsRaised } from './alert-latency.js';

/** One family's assessment, computed and validated (assess-family.ts), ready to be written. */
export interface Assessment {
  job: Job<AssessJob>;
  item: WorkItem;
  picture: FamilyPicture;
  changes: AlertChanges;
  routes: Route[];
  group: Group;
}

/**
 * Writes assessments in as few transactions as can hold them: families writing the same
 * resource (a father's Flag, when two of his families are in one batch) go in separate ones,
 * in order. A transaction that fails is tried again family by family, so one family's
 * problem stays its own (recorded in `failed`). Returns the families that changed again
 * while they were assessed: they need another round.
 */
export async function writeAssessments(rt: Runtime, assessments: readonly Assessment[], now: string, failed: Map<string, unknown>): Promise<string[]> {
  const again: string[] = [];
  for (const part of disjointWrites(assessments)) {
    try {
      again.push(...(await commitAssessments(rt, part, now)));
    } catch (err) {
      if (part.length === 1) {
        failed.set(part[0]!.item.key, err);
        continue;
      }
      for (const one of part) {
        try {
          again.push(...(await commitAssessments(rt, [one], now)));
        } catch (e) {
          failed.set(one.item.key, e);
        }
      }
    }
  }
  return again;
}

/** Splits assessments into runs in which no resource is written twice (one upsert may touch a row once). */
function disjointWrites(assessments: readonly Assessment[]): Assessment[][] {
  const parts: Array<{ members: Assessment[]; refs: Set<string> }> = [];
  for (const a of assessments) {
    const refs = [...a.changes.resources, a.group].map((r) => `${r.resourceType}/${r.id}`);
    let part = parts.find((p) => refs.every((r) => !p.refs.has(r)));
    if (!part) parts.push((part = { members: [], refs: new Set() }));
    part.members.push(a);
    for (const r of refs) part.refs.add(r);
  }
  return parts.map((p) => p.members);
}

/**
 * One transaction for these families: Flags, DetectedIssues and Groups, the deliveries due,
 * subscription events and the completion of each work item. Then the deliver and notify
 * jobs, the logs and the alert metrics. Returns the families whose work item moved on.
 */
async function commitAssessments(rt: Runtime, assessments: readonly Assessment[], now: string): Promise<string[]> {
  const { due, completed, notify } = await rt.db.transaction(async (tx) => {
    const written = await rt.resources.putMany(tx, assessments.flatMap((a) => [...a.changes.resources, a.group]), { sourceKey: null, now });
    const byRef = new Map(written.map((w) => [w.ref, w]));
    const holdings = await rt.deliveries.forFamilies(assessments.map((a) => a.item.key), tx);
    const pending = assessments.flatMap((a) => recipientsDue(rt, a, holdings.get(a.item.key) ?? [], byRef)
      .map((recipientId) => ({ recipientId, familyKey: a.item.key })));
    await rt.deliveries.markPendingMany(tx, pending, now);
    const marked = await rt.work.mark(tx, 'deliver', pending.map((p) => `${p.recipientId}|${p.familyKey}`), now);
    // FHIR Subscriptions: an event per changed Flag per subscriber that may see it, committed with the Flag.
    const notify = await recordFlagEvents(rt, tx, written, now);
    return { due: marked, completed: await rt.work.completeMany(tx, assessments.map((a) => a.item)), notify };
  });
  if (due.length > 0) {
    await rt.queue.add('deliver', due.map((w) => {
      const [recipientId, familyKey] = w.key.split('|') as [string, string];
      return { recipientId, familyKey, generation: w.generation };
    }));
  }
  await wakeSubscribers(rt, notify);
  for (const a of assessments) {
    rt.logger.info({ queue: 'assess', jobId: a.job.id, familyKey: a.item.key, generation: a.item.generation,
      flags: a.changes.resources.filter((r) => r.resourceType === 'Flag').length, withdrawn: a.changes.withdrawn.length,
      deliveries: due.filter((w) => w.key.endsWith(`|${a.item.key}`)).length }, 'family assessed');
  }
  await observeAlertsRaised(rt, assessments.flatMap((a) => a.changes.resources), now);
  return assessments.filter((a) => !completed.has(a.item.key)).map((a) => a.item.key);
}

/**
 * Recipients whose copy of the family must change: every routed recipient when its Flags
 * changed, a recipient newly routed (a change of GP or address), and every recipient the
 * family is no longer routed to, so its copy is withdrawn. A family that never had a Flag
 * is sent to nobody.
 */
function recipientsDue(rt: Runtime, a: Assessment, deliveries: readonly DeliveryState[], written: ReadonlyMap<string, PutResult>): string[] {
  const flags = [...a.picture.flags, ...a.changes.resources.filter((r): r is Flag => r.resourceType === 'Flag')];
  if (flags.length === 0) return [];
  const flagsChanged = a.changes.resources.some((r) => written.get(`${r.resourceType}/${r.id}`)?.changed);
  const holding = new Set(deliveries.filter((d) => d.status !== 'withdrawn').map((d) => d.recipientId));
  const wanted = [...new Set([...a.routes.map((r) => r.recipient.id), ...escalationRecipients(rt.config, flags)])];
  const due = wanted.filter((id) => flagsChanged || !holding.has(id));
  const gone = [...holding].filter((id) => !wanted.includes(id));
  return [...new Set([...due, ...gone])];
}
