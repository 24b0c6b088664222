import { randomUUID } from 'node:crypto';
import { SYSTEM } from '../fhir/canonical.js';
import type { AnyResource, Identifier, Patient } from '../fhir/types.js';
import type { Sql } from '../store/db.js';
import type { IdentifierKey, IdentityStore, LinkRow } from '../store/identity-store.js';
import { demographicsOf, type Demographics } from './demographics.js';
import { scoreMatch, type MatchScore } from './match-score.js';
import { mergePatient } from './merge-patient.js';
import { bornWithinWindow, motherNhsOf, multipleBirthReview, unbornKey, windowAround } from './unborn-link.js';

export interface MergeRequest {
  survivor: string;
  merged: string;
  reason: string;
}

export interface LinkResult {
  /** The source's resources with Patient references pointing at linked persons, and merged Patients. */
  resources: AnyResource[];
  /** Persons this source mentions (after linking). */
  persons: string[];
  /** Persons the source no longer mentions; `orphans` are left with no source at all. */
  dropped: string[];
  orphans: string[];
  /** Merges the source asked for (a Patient that `replaces` another, as HL7 A40 says). */
  merges: MergeRequest[];
  /** Resolves any identifiers to a person, from this source's Patients or earlier links. */
  personOf: (identifiers: readonly Identifier[]) => string | undefined;
}

interface Resolution { person: string; how: string; score?: MatchScore }

/**
 * Links the Patients a source produced to the persons Cradle knows, as HAPI MDM does:
 * 1. an identifier an operator linked by hand — manual decisions always win;
 * 2. the NHS number, which is decisive;
 * 3. any other identifier already linked (a trust's local id seen before);
 * 4. a probabilistic match on name, birth date, sex and postcode (match-score.ts): MATCH
 *    links automatically; POSSIBLE_MATCH starts a new person and puts the pair on the
 *    review list; NO_MATCH starts a new person.
 * Each source's Patient is kept as that source's contribution, and the Patient Cradle serves
 * is the merge of all contributions.
 */
export async function linkPatients(
  tx: Sql,
  store: IdentityStore,
  resources: readonly AnyResource[],
  opts: { sourceKey: string; receivedAt: string; now: string },
): Promise<LinkResult> {
  const patients = resources.filter((r): r is Patient => r.resourceType === 'Patient');
  const existing = await store.lookup(tx, dedupe(resources.flatMap(identifierKeys)));
  const known = new Map<string, string>([...existing].map(([k, v]) => [k, v.personId]));

  const resolutions = new Map<string, Resolution>();
  const pending: Array<{ patient: Patient; reviews: Array<{ candidate: string; score: MatchScore }> }> = [];
  for (const p of patients) {
    const byId = resolveByIdentifier(identifierKeys(p), existing);
    if (byId) resolutions.set(p.id!, byId);
  }
  const unbornMerges = await attachUnborn(tx, store, resources, patients, resolutions, pending);
  for (const p of patients) {
    if (resolutions.has(p.id!) || unbornKey(p)) continue;
    const others = [...resolutions.values()].map((r) => r.person).concat(patients.map((q) => q.id!));
    const probabilistic = await matchByDemographics(tx, store, p, others);
    resolutions.set(p.id!, probabilistic.resolution ?? { person: p.id!, how: 'new person' });
    if (!probabilistic.resolution && probabilistic.reviews.length) pending.push({ patient: p, reviews: probabilistic.reviews });
  }
  for (const p of patients) if (!resolutions.has(p.id!)) resolutions.set(p.id!, { person: p.id!, how: 'new person' });
  const rename = new Map([...resolutions].map(([id, r]) => [id, r.person]));
  for (const p of patients) for (const i of identifierKeys(p)) known.set(key(i), rename.get(p.id!)!);
  const rewritten = resources.map((r) => rewritePatientRefs(r, rename));

  const bySource = new Map<string, Patient[]>();
  for (const p of rewritten.filter((r): r is Patient => r.resourceType === 'Patient')) bySource.set(p.id!, [...(bySource.get(p.id!) ?? []), p]);
  const persons = [...bySource.keys()];
  // Set-based: one statement each for every person's links, contributions and demographics.
  await store.linkMany(tx, [...bySource].map(([person, own]) => {
    const how = [...resolutions.values()].find((r) => r.person === person);
    return { ids: own.flatMap(identifierKeys), personId: person, ...(how?.score ? { score: how.score.score } : {}) };
  }), { sourceKey: opts.sourceKey, now: opts.now });
  await store.setContributions(tx, [...bySource].map(([person, own]) => (
    { personId: person, sourceKey: opts.sourceKey, content: mergePatient(person, own.map((content) => ({ content }))), updatedAt: opts.receivedAt })));
  for (const { patient, reviews } of pending) {
    for (const r of reviews) await store.addReview(tx, { id: randomUUID(), personId: rename.get(patient.id!)!, candidateId: r.candidate, score: r.score, now: opts.now });
  }
  const dropped = await store.dropContributions(tx, opts.sourceKey, persons);
  const merged: Patient[] = [];
  const orphans: string[] = [];
  const touched = [...new Set([...persons, ...dropped])];
  const contributions = await store.contributionsOf(tx, touched);
  const demographics: Array<{ personId: string; demographics: Demographics | undefined }> = [];
  for (const person of touched) {
    const all = contributions.get(person) ?? [];
    if (all.length === 0) {
      orphans.push(person);
      demographics.push({ personId: person, demographics: undefined });
      continue;
    }
    const patient = mergePatient(person, all);
    merged.push(patient);
    demographics.push({ personId: person, demographics: demographicsOf(patient) });
  }
  await store.saveDemographicsMany(tx, demographics, opts.now);
  return {
    resources: [...rewritten.filter((r) => r.resourceType !== 'Patient'), ...merged],
    persons,
    dropped,
    orphans,
    merges: [...mergeRequests(rewritten, known, opts.sourceKey), ...unbornMerges.map((m) => ({ ...m, survivor: rename.get(m.survivor) ?? m.survivor }))],
    personOf: (identifiers) => identifiers.map((i) => (i.system && i.value ? known.get(`${i.system}|${i.value}`) : undefined)).find(Boolean),
  };
}

/**
 * An unborn child (CP-IS: mother's NHS number + expected date) and the baby born to that
 * mother near that date are one child, whichever arrives first. A multiple birth leaves it
 * open which baby the unborn record was about, so each pair goes on the review list.
 */
async function attachUnborn(tx: Sql, store: IdentityStore, resources: readonly AnyResource[], patients: Patient[],
  resolutions: Map<string, Resolution>, pending: Array<{ patient: Patient; reviews: Array<{ candidate: string; score: MatchScore }> }>): Promise<MergeRequest[]> {
  const merges: MergeRequest[] = [];
  const born = patients.filter((p) => p.birthDate && motherNhsOf(resources, p.id!));
  for (const baby of born) {
    const motherNhs = motherNhsOf(resources, baby.id!)!;
    for (const unborn of (await store.unbornOfMother(tx, motherNhs)).filter((u) => bornWithinWindow(u.edd, baby.birthDate!))) {
      const twins = born.filter((b) => motherNhsOf(resources, b.id!) === motherNhs && bornWithinWindow(unborn.edd, b.birthDate!));
      if (twins.length > 1) {
        pending.push({ patient: baby, reviews: [{ candidate: unborn.personId, score: multipleBirthReview(unborn.edd) }] });
        continue;
      }
      const current = resolutions.get(baby.id!);
      if (!current) resolutions.set(baby.id!, { person: unborn.personId, how: 'unborn child born' });
      else if (current.person !== unborn.personId) merges.push({ survivor: baby.id!, merged: unborn.personId, reason: 'unborn child born: same mother, born near the expected date' });
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

function resolveByIdentifier(ids: IdentifierKey[], existing: Map<string, LinkRow>): Resolution | undefined {
  const manual = ids.map((i) => existing.get(key(i))).find((l) => l?.linkSource === 'MANUAL');
  if (manual) return { person: manual.personId, how: 'manual link' };
  const nhs = ids.find((i) => i.system === SYSTEM.nhsNumber);
  const byNhs = nhs && existing.get(key(nhs));
  if (byNhs) return { person: byNhs.personId, how: 'NHS number' };
  const other = ids.map((i) => existing.get(key(i))).find(Boolean);
  return other ? { person: other.personId, how: 'identifier' } : undefined;
}

async function matchByDemographics(tx: Sql, store: IdentityStore, p: Patient, exclude: string[]) {
  const mine = demographicsOf(p);
  const candidates = await store.candidates(tx, mine, exclude);
  const scored: Array<{ candidate: string; score: MatchScore }> = [];
  for (const c of candidates) {
    const score = scoreMatch(mine, c.demographics);
    if (score.outcome === 'NO_MATCH') continue;
    if (await store.isNonMatch(tx, p.id!, c.personId)) continue;
    scored.push({ candidate: c.personId, score });
  }
  scored.sort((a, b) => b.score.score - a.score.score || a.candidate.localeCompare(b.candidate));
  const best = scored[0];
  // Two automatic matches that tie are ambiguous: review both rather than guess.
  const tie = best && scored[1] && scored[1].score.score === best.score.score;
  if (best && best.score.outcome === 'MATCH' && !tie) return { resolution: { person: best.candidate, how: 'probabilistic match', score: best.score }, reviews: [] };
  return { resolution: undefined, reviews: scored };
}

/** `link: [{ type: 'replaces', other: { identifier } }]` on a Patient: the source merged a person into this one. */
function mergeRequests(resources: AnyResource[], known: Map<string, string>, sourceKey: string): MergeRequest[] {
  const out: MergeRequest[] = [];
  for (const p of resources) {
    if (p.resourceType !== 'Patient') continue;
    for (const l of p.link ?? []) {
      const id = l.other.identifier;
      const merged = l.type === 'replaces' && id?.system && id.value ? known.get(`${id.system}|${id.value}`) : undefined;
      if (merged && merged !== p.id) out.push({ survivor: p.id!, merged, reason: `merge requested by ${sourceKey.split('|')[0]}` });
    }
  }
  return out;
}

function identifierKeys(r: AnyResource): IdentifierKey[] {
  if (r.resourceType !== 'Patient' && r.resourceType !== 'RelatedPerson') return [];
  return (r.identifier ?? []).filter((i) => i.system && i.value).map((i) => ({ system: i.system!, value: i.value! }));
}

function dedupe(keys: IdentifierKey[]): IdentifierKey[] {
  return [...new Map(keys.map((k) => [key(k), k])).values()];
}

const key = (i: IdentifierKey) => `${i.system}|${i.value}`;

/** Rewrites `Patient/<old>` references (and the Patient's own id) throughout a resource. */
function rewritePatientRefs<T extends AnyResource>(resource: T, rename: ReadonlyMap<string, string>): T {
  if (![...rename].some(([a, b]) => a !== b)) return resource;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        out[k] = k === 'reference' && typeof x === 'string' && x.startsWith('Patient/') ? `Patient/${rename.get(x.slice(8)) ?? x.slice(8)}` : walk(x);
      }
      return out;
    }
    return v;
  };
  const copy = walk(resource) as T;
  if (copy.resourceType === 'Patient' && copy.id) copy.id = rename.get(copy.id) ?? copy.id;
  return copy;
}
