import { CS, EXT, PROFILE, SYSTEM } from '../../src/fhir/canonical.js';
import type { Address, Extension, HumanName, Patient, Reference, RelatedPerson } from '../../src/fhir/types.js';
import { coding, concept, odsReference } from '../../src/mapping/coding.js';
import type { Address as SourceAddress, Baby, HouseholdMember, MaternityRecord, Person } from './record.js';
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

/*
 * Each resource is built with its required elements, then the optional ones assigned in
 * the order the JSON shows them, rather than spread from `{ x }`/`{}` halves: the same
 * output, without a temporary object and a slow copy per optional element.
 */

function mother(scope: MaternityScope): Patient {
  const m = scope.record.mother;
  const patient: Patient = { resourceType: 'Patient', id: scope.motherId, meta: { profile: [PROFILE.ukCorePatient] } };
  if (m.ethnicCategory) patient.extension = [ethnicCategory(m.ethnicCategory)];
  setIdentifiers(scope, patient, m);
  setName(patient, m.name);
  patient.birthDate = m.birthDate;
  if (m.address) patient.address = [address(m.address)];
  if (m.gpPractice) patient.generalPractitioner = [odsReference(m.gpPractice.odsCode)];
  return patient;
}

function partner(scope: MaternityScope): Array<Patient | RelatedPerson> {
  const p = scope.record.partner;
  if (!p) return [];
  const out: Array<Patient | RelatedPerson> = [];
  const rel = p.relationshipToBaby;
  const extension: Extension[] = [{ url: EXT.identified, valueBoolean: p.known }];
  if (rel) extension.push({ url: EXT.relationshipToBaby, valueCodeableConcept: translated(CS.relationshipToBaby, rel) });
  if (p.livesWithMother !== undefined) extension.push({ url: EXT.livesWithMother, valueBoolean: p.livesWithMother });
  const relatedPerson = relatedPersonOf(scope, scope.partnerRelatedPersonId!, extension, p.known ? p : undefined, scope.mother);
  // The partner relative to the mother; relative to the baby it is the extension above.
  relatedPerson.relationship = [concept([coding(SYSTEM.v3RoleCode, p.livesWithMother === false ? 'SIGOTHR' : 'DOMPART',
    p.livesWithMother === false ? 'significant other' : 'domestic partner')], 'Partner')];
  if (p.known) setName(relatedPerson, p.name);
  if (p.known && p.birthDate) relatedPerson.birthDate = p.birthDate;
  out.push(relatedPerson);
  if (scope.partnerPatientId) {
    const patient: Patient = { resourceType: 'Patient', id: scope.partnerPatientId, meta: { profile: [PROFILE.ukCorePatient] } };
    setIdentifiers(scope, patient, p);
    setName(patient, p.name);
    if (p.birthDate) patient.birthDate = p.birthDate;
    // A partner recorded as living with the mother lives at her address.
    if (p.livesWithMother && scope.record.mother.address) patient.address = [address(scope.record.mother.address)];
    patient.link = [{ other: { reference: `RelatedPerson/${relatedPerson.id}` }, type: 'seealso' }];
    out.push(patient);
  }
  return out;
}

function householdMember(scope: MaternityScope, m: HouseholdMember): Array<Patient | RelatedPerson> {
  const identified = m.identified !== false;
  const rpId = scope.householdRelatedPersonIds.get(m.localId)!;
  const relatedPerson = relatedPersonOf(scope, rpId, [{ url: EXT.identified, valueBoolean: identified }], m, scope.mother);
  relatedPerson.relationship = [translated(CS.relationshipToMother, m.relationshipToMother)];
  if (identified) setName(relatedPerson, m.name);
  if (identified && m.birthDate) relatedPerson.birthDate = m.birthDate;
  const out: Array<Patient | RelatedPerson> = [relatedPerson];
  const patientId = scope.householdPatientIds.get(m.localId);
  if (patientId) {
    const patient: Patient = { resourceType: 'Patient', id: patientId, meta: { profile: [PROFILE.ukCorePatient] } };
    setIdentifiers(scope, patient, m);
    setName(patient, m.name);
    if (m.birthDate) patient.birthDate = m.birthDate;
    // Household members live at the mother's address, by definition of the household.
    if (scope.record.mother.address) patient.address = [address(scope.record.mother.address)];
    patient.link = [{ other: { reference: `RelatedPerson/${rpId}` }, type: 'seealso' }];
    out.push(patient);
  }
  return out;
}

function baby(scope: MaternityScope, b: Baby): Array<Patient | RelatedPerson> {
  const id = scope.babyIds.get(b.localId)!;
  const record = scope.record;
  const multiple = (record.pregnancy?.fetusCount ?? 1) > 1;
  const patient: Patient = { resourceType: 'Patient', id, meta: { profile: [PROFILE.ukCorePatient] }, identifier: scope.babyIdentifiers(b) };
  if (b.sex) patient.gender = b.sex;
  if (b.birthDate) {
    patient.birthDate = b.birthDate.slice(0, 10);
    patient._birthDate = { extension: [{ url: EXT.birthTime, valueDateTime: b.birthDate }] };
  }
  if (multiple && b.birthOrder) patient.multipleBirthInteger = b.birthOrder;
  else patient.multipleBirthBoolean = multiple;
  if (record.mother.address) patient.address = [address(record.mother.address)];
  const mother = relatedPersonOf(scope, scope.id('related-person', 'baby', b.localId, 'mother'), undefined, record.mother, { reference: `Patient/${id}` });
  mother.relationship = [concept([coding(SYSTEM.v3RoleCode, 'MTH', 'mother')], 'Mother')];
  setName(mother, record.mother.name);
  mother.birthDate = record.mother.birthDate;
  const out: Array<Patient | RelatedPerson> = [patient, mother];
  const partner = record.partner;
  if (partner?.known && partner.relationshipToBaby === 'father') {
    const father = relatedPersonOf(scope, scope.id('related-person', 'baby', b.localId, 'father'), undefined, partner, { reference: `Patient/${id}` });
    father.relationship = [concept([coding(SYSTEM.v3RoleCode, 'FTH', 'father')], 'Father')];
    setName(father, partner.name);
    if (partner.birthDate) father.birthDate = partner.birthDate;
    out.push(father);
  }
  return out;
}

/** A RelatedPerson's leading elements in their JSON order: extensions, the person's identifiers (if given), then whose relative. */
function relatedPersonOf(scope: MaternityScope, id: string, extension: Extension[] | undefined, identified: Person | undefined,
  patient: Reference): RelatedPerson {
  // Cast: the required `patient` is assigned below, after the elements that precede it.
  // (Not `{ ...head, patient }`: cloning by spread was several times slower here.)
  const relatedPerson = { resourceType: 'RelatedPerson', id, meta: { profile: [PROFILE.ukCoreRelatedPerson] } } as RelatedPerson;
  if (extension) relatedPerson.extension = extension;
  if (identified) setIdentifiers(scope, relatedPerson, identified);
  relatedPerson.patient = patient;
  return relatedPerson;
}

function setIdentifiers(scope: MaternityScope, resource: Patient | RelatedPerson, person: Person): void {
  const ids = scope.identifiers(person, 'patient');
  // FHIR JSON has no empty arrays: no identifier element for a person with neither an NHS number nor a local id.
  if (ids.length > 0) resource.identifier = ids;
}

function setName(resource: Patient | RelatedPerson, name: MaternityRecord['mother']['name']): void {
  if (!name || (!name.family && !name.given?.length)) return;
  const human: HumanName = { use: 'official' };
  if (name.family) human.family = name.family;
  if (name.given?.length) human.given = name.given;
  resource.name = [human];
}

function address(a: SourceAddress): Address {
  const out: Address = { use: 'home' };
  if (a.line?.length) out.line = a.line;
  if (a.city) out.city = a.city;
  if (a.postcode) out.postalCode = a.postcode.toUpperCase();
  return out;
}

function ethnicCategory(code: string): Extension {
  return { url: EXT.ethnicCategory, valueCodeableConcept: { coding: [{ system: SYSTEM.ethnicCategoryEngland, code }] } };
}
