import { CS, EXT, PROFILE, SYSTEM } from '../../src/fhir/canonical.js';
import type { Extension, HumanName, Patient, RelatedPerson } from '../../src/fhir/types.js';
import { coding, concept, odsReference } from '../../src/mapping/coding.js';
import type { Address as SourceAddress, Baby, HouseholdMember, MaternityRecord } from './record.js';
import type { MaternityScope } from './scope.js';
import { translated } from './terminology.js';

/** Mother, partner, household members and babies: Patients where identified, RelatedPersons for the relationships. */
export function mapPeople(scope: MaternityScope): Array<Patient | RelatedPerson> {
  const { record } = scope;
  return [
    mother(scope),
    ...partner(scope),
    ...(record.householdMembers ?? []).flatMap((m) => householdMember(scope, m)),
    ...(record.babies ?? []).flatMap((b) => baby(scope, b)),
  ];
}

function mother(scope: MaternityScope): Patient {
  const m = scope.record.mother;
  return {
    resourceType: 'Patient',
    id: scope.motherId,
    meta: { profile: [PROFILE.ukCorePatient] },
    ...(m.ethnicCategory ? { extension: [ethnicCategory(m.ethnicCategory)] } : {}),
    ...scope.identifierElement(m, 'patient'),
    ...names(m.name),
    birthDate: m.birthDate,
    ...(m.address ? { address: [address(m.address)] } : {}),
    ...(m.gpPractice ? { generalPractitioner: [odsReference(m.gpPractice.odsCode)] } : {}),
  };
}

function partner(scope: MaternityScope): Array<Patient | RelatedPerson> {
  const p = scope.record.partner;
  if (!p) return [];
  const out: Array<Patient | RelatedPerson> = [];
  const rel = p.relationshipToBaby;
  const relatedPerson: RelatedPerson = {
    resourceType: 'RelatedPerson',
    id: scope.partnerRelatedPersonId!,
    meta: { profile: [PROFILE.ukCoreRelatedPerson] },
    extension: [
      { url: EXT.identified, valueBoolean: p.known },
      ...(rel ? [{ url: EXT.relationshipToBaby, valueCodeableConcept: translated(CS.relationshipToBaby, rel) }] : []),
      ...(p.livesWithMother !== undefined ? [{ url: EXT.livesWithMother, valueBoolean: p.livesWithMother }] : []),
    ],
    ...(p.known ? scope.identifierElement(p, 'patient') : {}),
    patient: scope.mother,
    // The partner relative to the mother; relative to the baby it is the extension above.
    relationship: [concept([coding(SYSTEM.v3RoleCode, p.livesWithMother === false ? 'SIGOTHR' : 'DOMPART',
      p.livesWithMother === false ? 'significant other' : 'domestic partner')], 'Partner')],
    ...(p.known ? names(p.name) : {}),
    ...(p.known && p.birthDate ? { birthDate: p.birthDate } : {}),
  };
  out.push(relatedPerson);
  if (scope.partnerPatientId) {
    out.push({
      resourceType: 'Patient',
      id: scope.partnerPatientId,
      meta: { profile: [PROFILE.ukCorePatient] },
      ...scope.identifierElement(p, 'patient'),
      ...names(p.name),
      ...(p.birthDate ? { birthDate: p.birthDate } : {}),
      // A partner recorded as living with the mother lives at her address.
      ...(p.livesWithMother && scope.record.mother.address ? { address: [address(scope.record.mother.address)] } : {}),
      link: [{ other: { reference: `RelatedPerson/${relatedPerson.id}` }, type: 'seealso' }],
    });
  }
  return out;
}

function householdMember(scope: MaternityScope, m: HouseholdMember): Array<Patient | RelatedPerson> {
  const identified = m.identified !== false;
  const rpId = scope.householdRelatedPersonIds.get(m.localId)!;
  const out: Array<Patient | RelatedPerson> = [{
    resourceType: 'RelatedPerson',
    id: rpId,
    meta: { profile: [PROFILE.ukCoreRelatedPerson] },
    extension: [{ url: EXT.identified, valueBoolean: identified }],
    ...scope.identifierElement(m, 'patient'),
    patient: scope.mother,
    relationship: [translated(CS.relationshipToMother, m.relationshipToMother)],
    ...(identified ? names(m.name) : {}),
    ...(identified && m.birthDate ? { birthDate: m.birthDate } : {}),
  }];
  const patientId = scope.householdPatientIds.get(m.localId);
  if (patientId) {
    out.push({
      resourceType: 'Patient',
      id: patientId,
      meta: { profile: [PROFILE.ukCorePatient] },
      ...scope.identifierElement(m, 'patient'),
      ...names(m.name),
      ...(m.birthDate ? { birthDate: m.birthDate } : {}),
      // Household members live at the mother's address, by definition of the household.
      ...(scope.record.mother.address ? { address: [address(scope.record.mother.address)] } : {}),
      link: [{ other: { reference: `RelatedPerson/${rpId}` }, type: 'seealso' }],
    });
  }
  return out;
}

function baby(scope: MaternityScope, b: Baby): Array<Patient | RelatedPerson> {
  const id = scope.babyIds.get(b.localId)!;
  const record = scope.record;
  const multiple = (record.pregnancy?.fetusCount ?? 1) > 1;
  const patient: Patient = {
    resourceType: 'Patient',
    id,
    meta: { profile: [PROFILE.ukCorePatient] },
    identifier: scope.babyIdentifiers(b),
    ...(b.sex ? { gender: b.sex } : {}),
    ...(b.birthDate ? { birthDate: b.birthDate.slice(0, 10), _birthDate: { extension: [{ url: EXT.birthTime, valueDateTime: b.birthDate }] } } : {}),
    ...(multiple && b.birthOrder ? { multipleBirthInteger: b.birthOrder } : { multipleBirthBoolean: multiple }),
    ...(record.mother.address ? { address: [address(record.mother.address)] } : {}),
  } as Patient;
  const mother: RelatedPerson = {
    resourceType: 'RelatedPerson',
    id: scope.id('related-person', 'baby', b.localId, 'mother'),
    meta: { profile: [PROFILE.ukCoreRelatedPerson] },
    ...scope.identifierElement(record.mother, 'patient'),
    patient: { reference: `Patient/${id}` },
    relationship: [concept([coding(SYSTEM.v3RoleCode, 'MTH', 'mother')], 'Mother')],
    ...names(record.mother.name),
    birthDate: record.mother.birthDate,
  };
  const out: Array<Patient | RelatedPerson> = [patient, mother];
  const partner = record.partner;
  if (partner?.known && partner.relationshipToBaby === 'father') {
    out.push({
      resourceType: 'RelatedPerson',
      id: scope.id('related-person', 'baby', b.localId, 'father'),
      meta: { profile: [PROFILE.ukCoreRelatedPerson] },
      ...scope.identifierElement(partner, 'patient'),
      patient: { reference: `Patient/${id}` },
      relationship: [concept([coding(SYSTEM.v3RoleCode, 'FTH', 'father')], 'Father')],
      ...names(partner.name),
      ...(partner.birthDate ? { birthDate: partner.birthDate } : {}),
    });
  }
  return out;
}

function names(name: MaternityRecord['mother']['name']): { name?: HumanName[] } {
  if (!name || (!name.family && !name.given?.length)) return {};
  return { name: [{ use: 'official', ...(name.family ? { family: name.family } : {}), ...(name.given?.length ? { given: name.given } : {}) }] };
}

function address(a: SourceAddress) {
  return {
    use: 'home' as const,
    ...(a.line?.length ? { line: a.line } : {}),
    ...(a.city ? { city: a.city } : {}),
    ...(a.postcode ? { postalCode: a.postcode.toUpperCase() } : {}),
  };
}

function ethnicCategory(code: string): Extension {
  return { url: EXT.ethnicCategory, valueCodeableConcept: { coding: [{ system: SYSTEM.ethnicCategoryEngland, code }] } };
}
