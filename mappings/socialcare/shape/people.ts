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

function childPatient(scope: ChildScope): Patient {
  const c = scope.child;
  return {
    resourceType: 'Patient',
    id: scope.childId,
    meta: { profile: [PROFILE.ukCorePatient] },
    ...(scope.unborn ? { extension: unbornExtensions(c) } : {}),
    identifier: scope.childIdentifiers(),
    ...names(c.name),
    ...(c.gender ? { gender: c.gender } : {}),
    ...(c.birthDate ? { birthDate: c.birthDate } : {}),
    ...(c.deathDate ? { deceasedDateTime: c.deathDate } : {}),
    ...(c.address ? { address: [address(c.address)] } : {}),
  };
}

/** FHIR Extensions Pack patient-fetalStatus, and Cradle's expected-birth-date (the EDD CP-IS keys on). */
function unbornExtensions(c: ChildFacts): Extension[] {
  return [
    { url: EXT.fetalStatus, valueCode: 'potential-for-live-birth' },
    { url: EXT.expectedBirthDate, valueDate: c.expectedBirthDate! },
  ];
}

export function names(name: Name | undefined): { name?: HumanName[] } {
  if (!name || (!name.family && !name.given?.length)) return {};
  return { name: [{ use: 'official', ...(name.family ? { family: name.family } : {}), ...(name.given?.length ? { given: name.given } : {}) }] };
}

function address(a: NonNullable<ChildFacts['address']>): Address {
  return {
    use: 'home',
    ...(a.line?.length ? { line: a.line } : {}),
    ...(a.city ? { city: a.city } : {}),
    ...(a.postcode ? { postalCode: a.postcode.toUpperCase() } : {}),
  };
}

