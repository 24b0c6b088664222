import { randomUUID } from 'node:crypto';
import { CradleError } from '../fhir/outcome.js';
import type { Flag, Patient } from '../fhir/types.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Sql } from '../store/db.js';
import type { WorkItem } from '../store/work-store.js';

/** Work to queue once the transaction that merged or unmerged has committed. */
export interface IdentityFollowUp {
  replay: Array<{ messageId: string; attempt: number }>;
  assess: WorkItem[];
}

export interface MergeInput {
  survivor: string;
  merged: string;
  reason: string;
  /** `operator:<clientId>` for a person's decision, or the source that asked (HL7 A40). */
  decidedBy: string;
  now: string;
}

/**
 * Merges one person into another, keeping history: the merged person's identifiers now
 * point at the survivor; their Patient stays, inactive and `replaced-by` the survivor;
 * their Flags are set inactive (the survivor's family is re-assessed); every source record
 * that spoke about them is replayed, so their facts move to the survivor through the normal
 * pipeline; and the merge is recorded so it can be undone. An operator's merge is a
 * manual decision and survives re-processing.
 */
export async function mergePersons(rt: Runtime, tx: Sql, m: MergeInput): Promise<{ mergeId: string; followUp: IdentityFollowUp } | undefined> {
  if (m.survivor === m.merged) return undefined;
  const [survivor, merged] = await Promise.all([rt.resources.read<Patient>('Patient', m.survivor, tx), rt.resources.read<Patient>('Patient', m.merged, tx)]);
  if (!survivor || !merged) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: 'both persons must exist to merge them' });
  const families = await rt.families.familiesOf([m.survivor, m.merged], tx);
  const identifiers = await rt.identity.identifiersOf(tx, m.merged);
  const sourceKeys = [...new Set([...(await rt.identity.takeContributions(tx, m.merged)), ...(await sourceKeysAbout(tx, m.merged))])];
  const mergeId = randomUUID();
  await rt.identity.link(tx, identifiers, m.survivor, { sourceKey: `merge:${mergeId}`, now: m.now, result: 'MERGED', manual: m.decidedBy.startsWith('operator:') });
  await rt.identity.saveDemographics(tx, m.merged, undefined, m.now);
  await rt.identity.supersedeReviews(tx, m.merged, m.now);
  await moveFamilyMembership(tx, m.merged, m.survivor);
  await rt.resources.putMany(tx, [
    { ...merged, active: false, link: [...(merged.link ?? []).filter((l) => l.type !== 'replaced-by'), { type: 'replaced-by', other: { reference: `Patient/${m.survivor}` } }] },
    ...(await activeFlagsOf(rt, tx, m.merged)).map((f) => ({ ...f, status: 'inactive' as const, period: { ...f.period, end: m.now } })),
  ], { sourceKey: null, now: m.now });
  await rt.identity.recordMerge(tx, { id: mergeId, survivorId: m.survivor, mergedId: m.merged, identifiers, sourceKeys, reason: m.reason, decidedBy: m.decidedBy, mergedAt: m.now });
  return { mergeId, followUp: await followUp(rt, tx, sourceKeys, [...families, m.survivor], m.now) };
}

/**
 * Undoes a merge: the identifiers go back to the person they were moved from, the two are
 * recorded as different people (so automatic matching never joins them again), and their
 * source records are replayed so each person's facts return to them.
 */
export async function unmergePersons(rt: Runtime, tx: Sql, mergeId: string, by: string, now: string): Promise<IdentityFollowUp> {
  const m = await rt.identity.merge(tx, mergeId);
  if (!m) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: 'no such merge' });
  if (m.unmergedAt) throw new CradleError('CRADLE_INPUT_INVALID', { diagnostics: 'this merge was already undone' });
  const families = await rt.families.familiesOf([m.survivorId], tx);
  await rt.identity.repoint(tx, m.identifiers, m.mergedId, `unmerge:${mergeId}`, now);
  await rt.identity.addNonMatch(tx, m.survivorId, m.mergedId, by, `unmerge of ${mergeId}`, now);
  await rt.identity.markUnmerged(tx, mergeId, by, now);
  await tx.query("DELETE FROM family_member WHERE person_id = $1 AND source_key = ANY($2::text[])", [m.survivorId, m.sourceKeys]);
  return followUp(rt, tx, m.sourceKeys, [...families, m.survivorId, m.mergedId], now);
}

/** Queues what a merge or unmerge made necessary (after commit). */
export async function queueFollowUp(rt: Runtime, f: IdentityFollowUp): Promise<void> {
  await rt.queue.add('map', f.replay);
  await rt.queue.add('assess', f.assess.map((w) => ({ familyKey: w.key, generation: w.generation })));
}

async function followUp(rt: Runtime, tx: Sql, sourceKeys: string[], families: string[], now: string): Promise<IdentityFollowUp> {
  const { rows } = await tx.query<{ id: string; attempts: number }>(
    `SELECT DISTINCT ON (business_key) id, attempts FROM inbound_message
     WHERE business_key = ANY($1::text[]) AND status = 'processed'
     ORDER BY business_key, business_version DESC NULLS LAST, received_at DESC`, [sourceKeys]);
  for (const r of rows) {
    await tx.query(`UPDATE inbound_message SET status = 'received', outcome = NULL, updated_at = $2 WHERE id = $1`, [r.id, now]);
  }
  const assess = await rt.work.mark(tx, 'assess', [...new Set(families)], now);
  return { replay: rows.map((r) => ({ messageId: r.id, attempt: r.attempts })), assess };
}

/** Source records whose resources mention the person (as subject, patient, actor…). */
async function sourceKeysAbout(tx: Sql, personId: string): Promise<string[]> {
  const { rows } = await tx.query<{ source_key: string }>(
    `SELECT DISTINCT r.source_key FROM resource r JOIN search_reference s ON s.res_type = r.res_type AND s.id = r.id
     WHERE s.target = $1 AND r.source_key IS NOT NULL AND NOT r.deleted
     UNION SELECT DISTINCT source_key FROM family_member WHERE person_id = $2 OR family_key = $2`, [`Patient/${personId}`, personId]);
  return rows.map((r) => r.source_key);
}

async function moveFamilyMembership(tx: Sql, from: string, to: string): Promise<void> {
  await tx.query(
    `INSERT INTO family_member (family_key, person_id, role, source_key, since)
     SELECT CASE WHEN family_key = $1 THEN $2 ELSE family_key END, CASE WHEN person_id = $1 THEN $2 ELSE person_id END, role, source_key, since
     FROM family_member WHERE person_id = $1 OR family_key = $1
     ON CONFLICT DO NOTHING`, [from, to]);
  await tx.query('DELETE FROM family_member WHERE person_id = $1 OR family_key = $1', [from]);
}

async function activeFlagsOf(rt: Runtime, tx: Sql, personId: string): Promise<Flag[]> {
  const { rows } = await tx.query<{ content: Flag }>(
    `SELECT r.content FROM resource r JOIN search_reference s ON s.res_type = r.res_type AND s.id = r.id
     WHERE r.res_type = 'Flag' AND s.param = 'subject' AND s.target = $1 AND NOT r.deleted AND r.content->>'status' = 'active'`, [`Patient/${personId}`]);
  return rows.map((r) => r.content);
}

/**
 * An operator's decision on a possible match: `match` merges the newer person into the one
 * already known (a manual decision that survives re-processing); `no-match` records that
 * they are different people, so they are never proposed or matched again.
 */
export async function decideReview(rt: Runtime, tx: Sql, input: { reviewId: string; decision: 'match' | 'no-match'; by: string; reason?: string; now: string }): Promise<IdentityFollowUp | undefined> {
  const review = await rt.identity.review(tx, input.reviewId);
  if (!review) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: 'no such review' });
  if (review.status !== 'open') throw new CradleError('CRADLE_INPUT_INVALID', { diagnostics: `review already ${review.status}` });
  if (input.decision === 'no-match') {
    await rt.identity.addNonMatch(tx, review.personId, review.candidateId, input.by, input.reason, input.now);
    await rt.identity.resolveReview(tx, review.id, 'not-matched', input.by, input.reason, input.now);
    return undefined;
  }
  await rt.identity.resolveReview(tx, review.id, 'matched', input.by, input.reason, input.now);
  const merged = await mergePersons(rt, tx, { survivor: review.candidateId, merged: review.personId, reason: input.reason ?? `review ${review.id}`, decidedBy: input.by, now: input.now });
  return merged?.followUp;
}
