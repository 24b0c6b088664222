import type { AnyResource, DetectedIssue, Flag, Patient, Reference } from '../fhir/types.js';
import type { FamilyEdge, FamilyRole } from '../store/family-store.js';

/**
 * Everything Cradle knows about one family, from every source: the input the rules take.
 * Keyed by the mother; `members` give each person's role, `resources` every fact about
 * any of them (observations, conditions, contacts, plans, relationships), and `flags`
 * the safeguarding Flags Cradle raised before, so rules and the Flag diff can see them.
 */
export interface FamilyPicture {
  readonly key: string;
  /** The moment the picture describes: who counts as an infant depends on it. */
  readonly asOf: string;
  readonly members: ReadonlyArray<{ personId: string; role: FamilyRole }>;
  /** The edges behind `members`: which source said so, and since when. */
  readonly edges: readonly FamilyEdge[];
  readonly patients: ReadonlyMap<string, Patient>;
  readonly resources: readonly AnyResource[];
  readonly flags: readonly Flag[];
  readonly detectedIssues: readonly DetectedIssue[];
}

export function personIdsWithRole(picture: FamilyPicture, role: FamilyRole): string[] {
  return [...new Set(picture.members.filter((m) => m.role === role).map((m) => m.personId))];
}

/** The mother's children, of any age, born or unborn. */
export function children(picture: FamilyPicture): Patient[] {
  return personIdsWithRole(picture, 'child').map((id) => picture.patients.get(id)).filter((p): p is Patient => p !== undefined);
}

/**
 * The infants the family's alerts are about: children under one year old at `asOf`, and
 * unborn children (a child with no birth date yet, as social care records an unborn plan).
 */
export function infants(picture: FamilyPicture): Patient[] {
  return children(picture).filter((c) => {
    if (!c.birthDate) return true;
    const first = new Date(`${c.birthDate.slice(0, 10)}T00:00:00Z`);
    first.setUTCFullYear(first.getUTCFullYear() + 1);
    return Date.parse(picture.asOf) < first.getTime();
  });
}

/** The infants' older brothers and sisters: the mother's other children. */
export function siblings(picture: FamilyPicture): Patient[] {
  const infantIds = new Set(infants(picture).map((p) => p.id));
  return children(picture).filter((c) => !infantIds.has(c.id));
}

export function mother(picture: FamilyPicture): Patient | undefined {
  return picture.patients.get(picture.key);
}

/** Resources of one type (optionally about one person: subject, patient or an Appointment actor). */
export function resourcesOf<T extends AnyResource['resourceType']>(
  picture: FamilyPicture, type: T, personId?: string,
): Array<Extract<AnyResource, { resourceType: T }>> {
  return picture.resources.filter((r): r is Extract<AnyResource, { resourceType: T }> =>
    r.resourceType === type && (personId === undefined || subjectIds(r).includes(personId)));
}

export function subjectIds(r: AnyResource): string[] {
  const refs: Array<Reference | undefined> = [];
  const any = r as { subject?: Reference; patient?: Reference; participant?: Array<{ actor?: Reference }> };
  refs.push(any.subject, any.patient);
  if (r.resourceType === 'Appointment') refs.push(...(any.participant ?? []).map((p) => p.actor));
  return refs.map((ref) => ref?.reference).filter((s): s is string => !!s?.startsWith('Patient/')).map((s) => s.slice(8));
}

export function byRef(picture: FamilyPicture, reference: string | undefined): AnyResource | undefined {
  if (!reference) return undefined;
  const [type, id] = reference.split('/');
  if (type === 'Patient') return picture.patients.get(id ?? '');
  return picture.resources.find((r) => r.resourceType === type && r.id === id);
}
