import { informational } from '../fhir/outcome.js';
import type { AnyResource } from '../fhir/types.js';
import { deriveFamilyMembers } from '../identity/family-edges.js';
import { linkPatientsMany, type LinkResult } from '../identity/link-patients.js';
import type { RecordIdentity } from '../ingest/source.js';
import type { MapJob } from '../queue/names.js';
import type { Job } from '../queue/queue.js';
import type { Sql } from '../store/db.js';
import type { FinishResult, InboundMessage } from '../store/message-store.js';
import type { PutResult } from '../store/resource-store.js';
import { claimVersions } from '../store/source-records.js';
import type { Runtime } from '../runtime/runtime.js';
import { type IdentityFollowUp, mergePersons, queueFollowUp } from './identity-actions.js';

/** A message parsed, mapped and validated (map-message.ts), ready to be applied. */
export interface Prepared {
  job: Job<MapJob>;
  message: InboundMessage;
  identity: RecordIdentity;
  resources: AnyResource[];
  /** What it may not share with another message of its round (map-message.ts `rounds`). */
  claims: string[];
}

/**
 * Applies one round of messages in one transaction, then queues what it made due. Should the
 * transaction fail, each message is applied alone, so one message's problem fails only its
 * own job (in `failed`).
 */
export async function applyRound(rt: Runtime, round: readonly Prepared[], failed: Map<string, unknown>): Promise<void> {
  const now = rt.clock();
  try {
    const { assess, followUps } = await rt.db.transaction((tx) => applyRecords(rt, tx, round, now));
    if (assess.length > 0) await rt.queue.add('assess', assess.map((w) => ({ familyKey: w.key, generation: w.generation })));
    for (const f of followUps) await queueFollowUp(rt, f);
    for (const p of round) {
      rt.logger.info({ queue: 'map', jobId: p.job.id, messageId: p.message.id, source: p.message.source, families: assess.length, merges: followUps.length, batch: round.length }, 'message processed');
      rt.metrics.mapped(p.message.source, 'processed');
    }
  } catch (err) {
    if (round.length === 1) {
      failed.set(round[0]!.message.id, err);
      return;
    }
    for (const p of round) await applyRound(rt, [p], failed);
  }
}

/**
 * The store's side of the map stage for messages that share no record, identifier or
 * resource: each kind of statement runs once for the round. A message whose record already
 * has a newer version applied changes nothing. A newer version of a record retires what the
 * old one had and this one lacks; every family any touched person belongs to is re-assessed
 * (a father's record arriving from one source can raise an alert on a baby another source
 * recorded).
 */
async function applyRecords(rt: Runtime, tx: Sql, round: readonly Prepared[], now: string) {
  const claimed = await claimVersions(tx, round.map((p) => ({ identity: p.identity, messageId: p.message.id })), now);
  const live = round.filter((p) => claimed.has(p.message.id));
  const finishes: Array<FinishResult & { id: string }> = round.filter((p) => !claimed.has(p.message.id)).map((p) => ({
    id: p.message.id, status: 'processed', businessKey: p.identity.key, businessVersion: p.identity.version ?? undefined,
    outcome: informational('CRADLE_VERSION_SUPERSEDED', `a newer version of ${p.identity.key} was already processed`),
  }));
  const linked = await linkPatientsMany(tx, rt.identity, live.map((p) => ({ resources: p.resources, sourceKey: p.identity.key, receivedAt: p.message.receivedAt })), now);
  const parts = live.map((p, i) => split(p, linked[i]!));
  const previous = await rt.resources.refsBySources(tx, live.map((p) => p.identity.key));
  const sourceOf = new Map(parts.flatMap((x) => x.facts.map((r) => [r, x.p.identity.key] as const)));
  const written = byRef(await rt.resources.putMany(tx, parts.flatMap((x) => x.facts), { sourceKey: (r) => sourceOf.get(r) ?? null, now }));
  const people = byRef(await rt.resources.putMany(tx, unique(parts.flatMap((x) => x.patients)), { sourceKey: null, now }));
  // What a record produced before and does not now is retired, unless another message of the round just wrote it.
  const retire = parts.map((x) => [...(previous.get(x.p.identity.key) ?? []).filter((ref) => !written.has(ref)), ...x.linked.orphans.map((p) => `Patient/${p}`)]);
  const retired = new Set(await rt.resources.removeMany(tx, [...new Set(retire.flat())].filter((ref) => !people.has(ref)), now));
  await rt.resources.putMany(tx, unique(parts.flatMap((x) => x.provenance)), { sourceKey: null, now });

  const membershipChanged = await rt.families.replaceSources(tx, parts.map((x) => ({
    sourceKey: x.p.identity.key, members: deriveFamilyMembers(x.linked.resources, x.linked.personOf), since: x.p.message.receivedAt })));
  const changed = parts.filter((x, i) => [...x.facts, ...x.patients].some((r) => (written.get(ref(r)) ?? people.get(ref(r)))?.changed) || retire[i]!.some((r) => retired.has(r)));
  const families = [...new Set([...membershipChanged, ...(await rt.families.familiesOf(changed.flatMap((x) => [...x.linked.persons, ...x.linked.dropped]), tx))])];
  await rt.messages.finishMany(tx, [...finishes, ...parts.map((x) => ({
    id: x.p.message.id, status: 'processed' as const, resourceRefs: [...x.facts, ...x.patients].map(ref),
    businessKey: x.p.identity.key, businessVersion: x.p.identity.version ?? undefined }))], now);
  const followUps: IdentityFollowUp[] = [];
  for (const x of parts) {
    for (const m of x.linked.merges) {
      const done = await mergePersons(rt, tx, { ...m, decidedBy: `source:${x.p.identity.key}`, now });
      if (done) followUps.push(done.followUp);
    }
  }
  return { assess: await rt.work.mark(tx, 'assess', families, now), followUps };
}

/** One message's linked resources by what is done with them: facts (its own), Patients (merged across sources), Provenance. */
function split(p: Prepared, linked: LinkResult): { p: Prepared; linked: LinkResult; facts: AnyResource[]; patients: AnyResource[]; provenance: AnyResource[] } {
  return {
    p,
    linked,
    facts: linked.resources.filter((r) => r.resourceType !== 'Provenance' && r.resourceType !== 'Patient'),
    patients: linked.resources.filter((r) => r.resourceType === 'Patient'),
    provenance: linked.resources.filter((r) => r.resourceType === 'Provenance'),
  };
}

const ref = (r: AnyResource) => `${r.resourceType}/${r.id}`;

function byRef(results: readonly PutResult[]): Map<string, PutResult> {
  return new Map(results.map((w) => [w.ref, w]));
}

/** One resource per id (the last): two messages about one person carry the same merged Patient. */
function unique(resources: readonly AnyResource[]): AnyResource[] {
  return [...new Map(resources.map((r) => [ref(r), r])).values()];
}
