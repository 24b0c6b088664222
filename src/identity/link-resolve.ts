import { SYSTEM } from '../fhir/canonical.js';
import type { AnyResource, Identifier, Patient } from '../fhir/types.js';
import type { Sql } from '../store/db.js';
import { BLOCK_LIMIT, type Candidate, candidatesMany, nonMatchesAmong, unbornOfMothers } from '../store/identity-candidates.js';
import type { IdentifierKey, IdentityStore, LinkRow } from '../store/identity-store.js';
import { demographicsOf } from './demographics.js';
import { scoreMatch, type MatchScore } from './match-score.js';
import { bornWithinWindow, motherNhsOf, multipleBirthReview, unbornKey, windowAround } from './unborn-link.js';

export interface MergeRequest {
  survivor: string;
  merged: string;
  reason: string;
}

/** What one source record says about people: its mapped resources. */
export interface LinkInput {
  resources: readonly AnyResource[];
  sourceKey: string;
  receivedAt: string;
}

export interface Resolution { person: string; how: string; score?: MatchScore }
export type PendingReview = { patient: Patient; reviews: Array<{ candidate: string; score: MatchScore }> };

/** Who each of one input's Patients is, decided before anything is written (link-patients.ts writes it). */
export interface Resolved {
  input: LinkInput;
  patients: Patient[];
  resolutions: Map<string, Resolution>;
  pending: PendingReview[];
  unbornMerges: MergeRequest[];
  /** `system|value` → person, from earlier links and this input's own Patients. */
  known: Map<string, string>;
}

/**
 * Decides who the Patients of several source records are, as HAPI MDM does, reading only:
 * 1. an identifier an operator linked by hand — manual decisions always win;
 * 2. the NHS number, which is decisive;
 * 3. any other identifier already linked (a trust's local id seen before);
 * 4. an unborn child (CP-IS) and the baby born to that mother near that date are one child;
 * 5. a probabilistic match on name, birth date, sex and postcode (match-score.ts): MATCH
 *    links automatically; POSSIBLE_MATCH starts a new person and puts the pair on the review
 *    list; NO_MATCH starts a new person.
 * The store is asked once per kind of question for all inputs together. The inputs must not
 * share identifiers (a batch puts records that do in separate rounds): each is resolved as
 * if it were alone.
 */
export async function resolvePatients(tx: Sql, store: IdentityStore, inputs: readonly LinkInput[]): Promise<Resolved[]> {
  const existing = await store.lookup(tx, dedupe(inputs.flatMap((i) => i.resources.flatMap(identifierKeys))));
  const mothers = inputs.flatMap((i) => patientsOf(i).filter((p) => p.birthDate).map((p) => motherNhsOf(i.resources, p.id!)).filter((n): n is string => !!n));
  const unborn = await unbornOfMothers(tx, mothers);
  const resolved: Resolved[] = [];
  for (const input of inputs) {
    const patients = patientsOf(input);
    const known = new Map<string, string>([...existing].map(([k, v]) => [k, v.personId]));
    const resolutions = new Map<string, Resolution>();
    const pending: PendingReview[] = [];
    for (const p of patients) {
      const byId = resolveByIdentifier(identifierKeys(p), existing);
      if (byId) resolutions.set(p.id!, byId);
    }
    const unbornMerges = await attachUnborn(tx, store, input.resources, patients, resolutions, pending, unborn);
    resolved.push({ input, patients, resolutions, pending, unbornMerges, known });
  }
  await matchByDemographics(tx, resolved);
  for (const r of resolved) {
    for (const p of r.patients) if (!r.resolutions.has(p.id!)) r.resolutions.set(p.id!, { person: p.id!, how: 'new person' });
    for (const p of r.patients) for (const i of identifierKeys(p)) r.known.set(key(i), r.resolutions.get(p.id!)!.person);
  }
  return resolved;
}

/**
 * An unborn child (CP-IS: mother's NHS number + expected date) and the baby born to that
 * mother near that date are one child, whichever arrives first. A multiple birth leaves it
 * open which baby the unborn record was about, so each pair goes on the review list.
 */
async function attachUnborn(tx: Sql, store: IdentityStore, resources: readonly AnyResource[], patients: Patient[],
  resolutions: Map<string, Resolution>, pending: PendingReview[], unborn: ReadonlyMap<string, Array<{ personId: string; edd: string }>>): Promise<MergeRequest[]> {
  const merges: MergeRequest[] = [];
  const born = patients.filter((p) => p.birthDate && motherNhsOf(resources, p.id!));
  for (const baby of born) {
    const motherNhs = motherNhsOf(resources, baby.id!)!;
    for (const child of (unborn.get(motherNhs) ?? []).filter((u) => bornWithinWindow(u.edd, baby.birthDate!))) {
      const twins = born.filter((b) => motherNhsOf(resources, b.id!) === motherNhs && bornWithinWindow(child.edd, b.birthDate!));
      if (twins.length > 1) {
        pending.push({ patient: baby, reviews: [{ candidate: child.personId, score: multipleBirthReview(child.edd) }] });
        continue;
      }
      const current = resolutions.get(baby.id!);
      if (!current) resolutions.set(baby.id!, { person: child.personId, how: 'unborn child born' });
      else if (current.person !== child.personId) merges.push({ survivor: baby.id!, merged: child.personId, reason: 'unborn child born: same mother, born near the expected date' });
    }
  }
  for (const p of patients) {
    const key = unbornKey(p);
    if (!key || resolutions.has(p.id!)) continue;
    const { from, to } = windowAround(key.edd);
    const babies = await store.childrenBornBetween(tx, key.motherNhs, from, to);
    if (babies.length === 1) resolutions.set(p.id!, { person: babies[0]!, how: 'unborn child already born' });
    else if (babies.length > 1) pending.push({ patient: p, reviews: babies.map((b) => ({ candidate: b, score: multipleBirthReview(key.edd) })) });
  }
  return merges;
}

/**
 * Step 5 for every Patient still unresolved, one candidate search and one non-match check
 * for all of them. Within one input the Patients are matched in order, and a person one of
 * them matched is no candidate for the next (two people in one record are two people): the
 * search excludes what is known before it and returns enough extra candidates for the
 * exclusions made after it, so each Patient sees the block it would have seen alone.
 */
async function matchByDemographics(tx: Sql, resolved: readonly Resolved[]): Promise<void> {
  const queries = resolved.flatMap((r) => r.patients.filter((p) => !r.resolutions.has(p.id!) && !unbornKey(p)).map((p) => ({ r, p })));
  if (queries.length === 0) return;
  const found = await candidatesMany(tx, queries.map(({ r, p }) => ({
    demographics: demographicsOf(p),
    exclude: [...[...r.resolutions.values()].map((x) => x.person), ...r.patients.map((q) => q.id!)],
    limit: BLOCK_LIMIT + r.patients.length,
  })));
  const nonMatches = await nonMatchesAmong(tx, queries.flatMap(({ p }, i) => found[i]!.map((c) => [p.id!, c.personId] as const)));
  queries.forEach(({ r, p }, i) => {
    const others = new Set([...[...r.resolutions.values()].map((x) => x.person), ...r.patients.map((q) => q.id!)]);
    const block = found[i]!.filter((c) => !others.has(c.personId)).slice(0, BLOCK_LIMIT);
    const outcome = decide(p, block, nonMatches);
    r.resolutions.set(p.id!, outcome.resolution ?? { person: p.id!, how: 'new person' });
    if (!outcome.resolution && outcome.reviews.length) r.pending.push({ patient: p, reviews: outcome.reviews });
  });
}

function decide(p: Patient, candidates: readonly Candidate[], nonMatches: ReadonlySet<string>): { resolution?: Resolution; reviews: PendingReview['reviews'] } {
  const mine = demographicsOf(p);
  const scored: PendingReview['reviews'] = [];
  for (const c of candidates) {
    const score = scoreMatch(mine, c.demographics);
    if (score.outcome === 'NO_MATCH') continue;
    if (nonMatches.has([p.id!, c.personId].sort().join('|'))) continue;
    scored.push({ candidate: c.personId, score });
  }
  scored.sort((a, b) => b.score.score - a.score.score || a.candidate.localeCompare(b.candidate));
  const best = scored[0];
  // Two automatic matches that tie are ambiguous: review both rather than guess.
  const tie = best && scored[1] && scored[1].score.score === best.score.score;
  if (best && best.score.outcome === 'MATCH' && !tie) return { resolution: { person: best.candidate, how: 'probabilistic match', score: best.score }, reviews: [] };
  return { reviews: scored };
}

function resolveByIdentifier(ids: IdentifierKey[], existing: Map<string, LinkRow>): Resolution | undefined {
  const manual = ids.map((i) => existing.get(key(i))).find((l) => l?.linkSource === 'MANUAL');
  if (manual) return { person: manual.personId, how: 'manual link' };
  const nhs = ids.find((i) => i.system === SYSTEM.nhsNumber);
  const byNhs = nhs && existing.get(key(nhs));
  if (byNhs) return { person: byNhs.personId, how: 'NHS number' };
  const other = ids.map((i) => existing.get(key(i))).find(Boolean);
  return other ? { person: other.personId, how: 'identifier' } : undefined;
}

function patientsOf(input: LinkInput): Patient[] {
  return input.resources.filter((r): r is Patient => r.resourceType === 'Patient');
}

/** The business identifiers of a Patient or RelatedPerson (what links people across sources). */
export function identifierKeys(r: AnyResource): IdentifierKey[] {
  if (r.resourceType !== 'Patient' && r.resourceType !== 'RelatedPerson') return [];
  return (r.identifier ?? []).filter((i) => i.system && i.value).map((i) => ({ system: i.system!, value: i.value! }));
}

function dedupe(keys: IdentifierKey[]): IdentifierKey[] {
  return [...new Map(keys.map((k) => [key(k), k])).values()];
}

export const key = (i: IdentifierKey | Identifier) => `${i.system}|${i.value}`;
