import { CS, EXT, PROFILE, SYSTEM } from '../../../src/fhir/canonical.js';
import type { Identifier, Patient, RelatedPerson } from '../../../src/fhir/types.js';
import { deterministicId } from '../../../src/mapping/ids.js';
import { translated } from '../../../src/mapping/terminology.js';
import type { HouseholdMember } from './model.js';
import { names } from './people.js';
import { nhsPersonId, type ChildScope } from './scope.js';

/**
 * Household members as RelatedPersons on the child, the relationship coded through
 * ConceptMap-relationship-to-child-to-v3-rolecode (a father is FTH, which puts him in the
 * mother's family as her partner). Someone identified — NHS number, the authority's own
 * person id, or name and birth date — is also a Patient, so their own records (GP, police
 * checks in a maternity record) attach to them: the "invisible men" of DOMAIN.md section 0.
 */
export function mapHousehold(scope: ChildScope, members: readonly HouseholdMember[]): Array<Patient | RelatedPerson> {
  return members.flatMap((m) => member(scope, m));
}

function member(scope: ChildScope, m: HouseholdMember): Array<Patient | RelatedPerson> {
  const identifiers = memberIdentifiers(scope, m);
  // Known who they are (the person-identified extension) versus identified well enough to
  // be a Patient other records can attach to (an identifier, or name and birth date).
  const known = identifiers.length > 0 || !!m.name?.family || !!m.name?.given?.length;
  const linkable = identifiers.length > 0 || !!(m.name?.family && m.birthDate);
  const rpId = scope.id('related-person', 'household', memberKey(m));
  // Optional elements assigned in their JSON order (see people.ts).
  const meta = { profile: [PROFILE.ukCoreRelatedPerson] };
  const extension = [{ url: EXT.identified, valueBoolean: known }];
  const related: RelatedPerson = identifiers.length
    ? { resourceType: 'RelatedPerson', id: rpId, meta, extension, identifier: identifiers, patient: scope.childRef }
    : { resourceType: 'RelatedPerson', id: rpId, meta, extension, patient: scope.childRef };
  related.relationship = [translated(CS.relationshipToChild, m.relationshipToChild)];
  const name = names(m.name);
  if (name) related.name = name;
  if (m.birthDate) related.birthDate = m.birthDate;
  const personId = memberPersonId(scope, m);
  // The mother (or the child) listed as a household member already has her Patient, whose
  // content every facet states alike; a second one here would contradict it.
  if (!linkable || personId === scope.motherId || personId === scope.childId) return [related];
  const patient: Patient = { resourceType: 'Patient', id: personId, meta: { profile: [PROFILE.ukCorePatient] } };
  if (identifiers.length) patient.identifier = identifiers;
  const patientName = names(m.name);
  if (patientName) patient.name = patientName;
  if (m.birthDate) patient.birthDate = m.birthDate;
  patient.link = [{ other: { reference: `RelatedPerson/${rpId}` }, type: 'seealso' }];
  return [related, patient];
}

function memberIdentifiers(scope: ChildScope, m: HouseholdMember): Identifier[] {
  const ids: Identifier[] = [];
  if (m.nhsNumber) ids.push({ system: SYSTEM.nhsNumber, value: m.nhsNumber });
  if (m.localId) ids.push({ system: scope.localSystem('person'), value: m.localId });
  return ids;
}

/** Stable across snapshots that list the same person, whatever their position in the list. */
function memberKey(m: HouseholdMember): string {
  if (m.nhsNumber) return `nhs:${m.nhsNumber}`;
  if (m.localId) return `local:${m.localId}`;
  return `name:${m.name?.family ?? ''}|${(m.name?.given ?? []).join(' ')}|${m.birthDate ?? ''}|${m.relationshipToChild}`;
}

function memberPersonId(scope: ChildScope, m: HouseholdMember): string {
  if (m.nhsNumber) return nhsPersonId(m.nhsNumber);
  if (m.localId) return deterministicId('person', 'local', `${scope.la.scheme}:${scope.la.code}`, 'person', m.localId);
  return scope.id('household-person', memberKey(m));
}
