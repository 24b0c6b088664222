import { randomUUID } from 'node:crypto';
import type { AnyResource, Identifier, Patient } from '../fhir/types.js';
import type { Sql } from '../store/db.js';
import type { IdentityStore } from '../store/identity-store.js';
import { demographicsOf, type Demographics } from './demographics.js';
import { identifierKeys, type LinkInput, type MergeRequest, resolvePatients, type Resolved } from './link-resolve.js';
import { mergePatient } from './merge-patient.js';

export type { LinkInput, MergeRequest } from './link-resolve.js';

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

/**
 * Links the Patients a source produced to the persons Cradle knows (link-resolve.ts decides
 * who they are). Each source's Patient is kept as that source's contribution, and the Patient
 * Cradle serves is the merge of all contributions.
 */
export async function linkPatients(
  tx: Sql,
  store: IdentityStore,
  resources: readonly AnyResource[],
  opts: { sourceKey: string; receivedAt: string; now: string },
): Promise<LinkResult> {
  return (await linkPatientsMany(tx, store, [{ resources, sourceKey: opts.sourceKey, receivedAt: opts.receivedAt }], opts.now))[0]!;
}

/**
 * {@link linkPatients} for several source records at once (a batch of messages without
 * shared identifiers): each kind of read and write is one statement for all of them. A
 * person two records both speak of gets one merged Patient, from both contributions, in
 * both results.
 */
export async function linkPatientsMany(tx: Sql, store: IdentityStore, inputs: readonly LinkInput[], now: string): Promise<LinkResult[]> {
  const resolved = await resolvePatients(tx, store, inputs);
  const linked = resolved.map(renamed);
  await store.linkMany(tx, linked.flatMap((l) => [...l.bySource].map(([person, own]) => {
    const how = [...l.r.resolutions.values()].find((r) => r.person === person);
    return { ids: own.flatMap(identifierKeys), personId: person, sourceKey: l.r.input.sourceKey, ...(how?.score ? { score: how.score.score } : {}) };
  })), { sourceKey: '', now });
  await store.setContributions(tx, linked.flatMap((l) => [...l.bySource].map(([person, own]) => (
    { personId: person, sourceKey: l.r.input.sourceKey, content: mergePatient(person, own.map((content) => ({ content }))), updatedAt: l.r.input.receivedAt }))));
  for (const l of linked) {
    for (const { patient, reviews } of l.r.pending) {
      for (const r of reviews) await store.addReview(tx, { id: randomUUID(), personId: l.rename.get(patient.id!)!, candidateId: r.candidate, score: r.score, now });
    }
  }
  const dropped = await store.dropContributionsMany(tx, linked.map((l) => ({ sourceKey: l.r.input.sourceKey, keep: [...l.bySource.keys()] })));
  const touched = [...new Set(linked.flatMap((l) => [...l.bySource.keys(), ...(dropped.get(l.r.input.sourceKey) ?? [])]))];
  const contributions = await store.contributionsOf(tx, touched);
  const merged = new Map<string, Patient>();
  const demographics: Array<{ personId: string; demographics: Demographics | undefined }> = [];
  for (const person of touched) {
    const all = contributions.get(person) ?? [];
    const patient = all.length > 0 ? mergePatient(person, all) : undefined;
    if (patient) merged.set(person, patient);
    demographics.push({ personId: person, demographics: patient ? demographicsOf(patient) : undefined });
  }
  await store.saveDemographicsMany(tx, demographics, now);
  return linked.map((l) => {
    const persons = [...l.bySource.keys()];
    const gone = dropped.get(l.r.input.sourceKey) ?? [];
    const mine = [...new Set([...persons, ...gone])];
    return {
      resources: [...l.rewritten.filter((r) => r.resourceType !== 'Patient'), ...mine.flatMap((p) => (merged.has(p) ? [merged.get(p)!] : []))],
      persons,
      dropped: gone,
      orphans: mine.filter((p) => !merged.has(p)),
      merges: [...mergeRequests(l.rewritten, l.r.known, l.r.input.sourceKey), ...l.r.unbornMerges.map((m) => ({ ...m, survivor: l.rename.get(m.survivor) ?? m.survivor }))],
      personOf: (identifiers) => identifiers.map((i) => (i.system && i.value ? l.r.known.get(`${i.system}|${i.value}`) : undefined)).find(Boolean),
    };
  });
}

/** One input's resources with its Patients renamed to their persons, and each person's own Patients. */
function renamed(r: Resolved) {
  const rename = new Map([...r.resolutions].map(([id, x]) => [id, x.person]));
  const rewritten = r.input.resources.map((x) => rewritePatientRefs(x, rename));
  const bySource = new Map<string, Patient[]>();
  for (const p of rewritten.filter((x): x is Patient => x.resourceType === 'Patient')) bySource.set(p.id!, [...(bySource.get(p.id!) ?? []), p]);
  return { r, rename, rewritten, bySource };
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
