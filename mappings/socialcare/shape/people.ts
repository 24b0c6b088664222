import { EXT, PROFILE, SYSTEM } from '../../../src/fhir/canonical.js';
import type { Address, Extension, HumanName, Patient, RelatedPerson } from '../../../src/fhir/types.js';
import { coding, concept } from '../../../src/mapping/coding.js';
import type { Name } from '../record.js';
import type { ChildFacts } from './model.js';
import type { ChildScope } from './scope.js';

/**
 * The child as a Patient (born, or unborn as CP-IS identifies one), and — when the source
 * names the mother's NHS number — the mother as a Patient with a MTH RelatedPerson on the
 * child, which is what puts the child into the mother's family. The mother's Patient says
 * nothing but her NHS number: it lets her be linked even before any maternity record.
 */
export function mapChildAndMother(scope: ChildScope): Array<Patient | RelatedPerson> {
  const out: Array<Patient | RelatedPerson> = [childPatient(scope)];
  const mothersNhs = scope.child.motherNhsNumber;
  if (mothersNhs && scope.motherId) {
    out.push({ resourceType: 'Patient', id: scope.motherId, meta: { profile: [PROFILE.ukCorePatient] }, identifier: [{ system: SYSTEM.nhsNumber, value: mothersNhs }] });
    out.push({
      resourceType: 'RelatedPerson',
      id: scope.id('related-person', 'mother'),
      meta: { profile: [PROFILE.ukCoreRelatedPerson] },
      identifier: [{ system: SYSTEM.nhsNumber, value: mothersNhs }],
      patient: scope.childRef,
      relationship: [concept([coding(SYSTEM.v3RoleCode, 'MTH', 'mother')], 'Mother')],
    });
  }
  return out;
}

/*
 * Resources here are built with their leading elements, then the optional ones assigned in
 * the order the JSON shows them, rather than spread from `{ x }`/`{}` halves: the same
 * output, without a temporary object and a slow copy per optional element.
 */

function childPatient(scope: ChildScope): Patient {
  const c = scope.child;
  const meta = { profile: [PROFILE.ukCorePatient] };
  const patient: Patient = scope.unborn
    ? { resourceType: 'Patient', id: scope.childId, meta, extension: unbornExtensions(c), identifier: scope.childIdentifiers() }
    : { resourceType: 'Patient', id: scope.childId, meta, identifier: scope.childIdentifiers() };
  const name = names(c.name);
  if (name) patient.name = name;
  if (c.gender) patient.gender = c.gender;
  if (c.birthDate) patient.birthDate = c.birthDate;
  if (c.deathDate) patient.deceasedDateTime = c.deathDate;
  if (c.address) patient.address = [address(c.address)];
  return patient;
}

/** FHIR Extensions Pack patient-fetalStatus, and Cradle's expected-birth-date (the EDD CP-IS keys on). */
function unbornExtensions(c: ChildFacts): Extension[] {
  return [
    { url: EXT.fetalStatus, valueCode: 'potential-for-live-birth' },
    { url: EXT.expectedBirthDate, valueDate: c.expectedBirthDate! },
  ];
}

/** The official name, or undefined when there is none (FHIR JSON has no empty elements). */
export function names(name: Name | undefined): HumanName[] | undefined {
  if (!name || (!name.family && !name.given?.length)) return undefined;
  const human: HumanName = { use: 'official' };
  if (name.family) human.family = name.family;
  if (name.given?.length) human.given = name.given;
  return [human];
}

function address(a: NonNullable<ChildFacts['address']>): Address {
  const out: Address = { use: 'home' };
  if (a.line?.length) out.line = a.line;
  if (a.city) out.city = a.city;
  if (a.postcode) out.postalCode = a.postcode.toUpperCase();
  return out;
}

