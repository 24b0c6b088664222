import { SYSTEM } from '../fhir/canonical.js';
import type { AnyResource, EpisodeOfCare, Identifier, RelatedPerson } from '../fhir/types.js';
import type { FamilyMember, FamilyRole } from '../store/family-store.js';

/** v3 RoleCode of a RelatedPerson (relative to its `patient`) → the role in the mother's family. */
const ROLE_OF_RELATIONSHIP: Readonly<Record<string, FamilyRole>> = {
  DOMPART: 'partner', SIGOTHR: 'partner', SPS: 'partner', HUSB: 'partner', WIFE: 'partner',
  CHILD: 'child', SON: 'child', DAU: 'child', NCHILD: 'child', STPCHLD: 'child',
  PRN: 'household-adult', GRPRN: 'household-adult', SIB: 'household-adult', ROOM: 'household-adult',
  FRND: 'household-adult', FAMMEMB: 'household-other',
};

/** v3 RoleCode of a RelatedPerson on a child → the role in the child's mother's family. */
const CHILD_RELATIONSHIP_ROLE: Readonly<Record<string, FamilyRole>> = {
  FTH: 'partner', NFTH: 'partner', STPFTH: 'partner', STPPRN: 'partner', DOMPART: 'partner',
  SIB: 'child', BRO: 'child', SIS: 'child', HSIB: 'child', NSIB: 'child', STPSIB: 'child',
  GRPRN: 'household-adult', GRMTH: 'household-adult', GRFTH: 'household-adult', AUNT: 'household-adult', UNCLE: 'household-adult',
  EXT: 'household-adult', FAMMEMB: 'household-other',
};

const PREGNANCY = '77386006';

/**
 * Who belongs to which family, read from the FHIR a source produced. A family is keyed by
 * the mother (the person every maternity record and CP-IS unborn plan hangs on):
 * - the patient of a pregnancy EpisodeOfCare is a mother;
 * - a RelatedPerson with relationship MTH makes its patient a child of that mother;
 * - a RelatedPerson on the mother names her partner, her children and other household
 *   members; one with FTH on a child names the child's father.
 * Whether a child is the infant or an older sibling depends on the date of assessment, so
 * it is decided by the family picture, not stored here.
 * People are resolved by identifier with `personOf`; someone not identified stays a
 * RelatedPerson (a known unknown adult), not a member.
 */
export function deriveFamilyMembers(
  resources: readonly AnyResource[],
  personOf: (identifiers: readonly Identifier[]) => string | undefined,
): FamilyMember[] {
  const members: FamilyMember[] = [];
  const add = (familyKey: string, personId: string | undefined, role: FamilyRole) => {
    if (personId) members.push({ familyKey, personId, role });
  };
  const mothers = new Set<string>();
  const babyMother = new Map<string, string>();
  for (const r of resources) {
    if (r.resourceType === 'EpisodeOfCare' && isPregnancy(r)) {
      const mother = patientId(r.patient?.reference);
      if (mother) mothers.add(mother);
    }
    if (r.resourceType === 'RelatedPerson' && roleCodes(r).includes('MTH')) {
      const mother = personOf(r.identifier ?? []);
      const baby = patientId(r.patient.reference);
      if (mother && baby) {
        mothers.add(mother);
        babyMother.set(baby, mother);
      }
    }
  }
  for (const mother of mothers) add(mother, mother, 'mother');
  for (const [baby, mother] of babyMother) add(mother, baby, 'child');
  for (const r of resources) {
    if (r.resourceType !== 'RelatedPerson') continue;
    const subject = patientId(r.patient.reference);
    if (!subject) continue;
    const codes = roleCodes(r);
    if (mothers.has(subject)) {
      const role = codes.map((c) => ROLE_OF_RELATIONSHIP[c]).find(Boolean);
      if (role) add(subject, personOf(r.identifier ?? []), role);
    } else if (babyMother.has(subject)) {
      // Household members named on a child (social care): the father or a parent's partner,
      // brothers and sisters, and other adults of the mother's household.
      const role = CHILD_RELATIONSHIP_ROLE[codes.find((c) => CHILD_RELATIONSHIP_ROLE[c]) ?? ''];
      if (role) add(babyMother.get(subject)!, personOf(r.identifier ?? []), role);
    }
  }
  return [...new Map(members.map((m) => [`${m.familyKey}|${m.personId}|${m.role}`, m])).values()];
}

function isPregnancy(e: EpisodeOfCare): boolean {
  return (e.type ?? []).some((t) => t.coding?.some((c) => c.system === SYSTEM.snomed && c.code === PREGNANCY));
}

function roleCodes(r: RelatedPerson): string[] {
  return (r.relationship ?? []).flatMap((cc) => cc.coding ?? []).filter((c) => c.system === SYSTEM.v3RoleCode && c.code).map((c) => c.code!);
}

function patientId(reference: string | undefined): string | undefined {
  return reference?.startsWith('Patient/') ? reference.slice('Patient/'.length) : undefined;
}
