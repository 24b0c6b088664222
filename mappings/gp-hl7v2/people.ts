import { localIdSystem, PROFILE, SYSTEM } from '../../src/fhir/canonical.js';
import type { Address, CodeableConcept, HumanName, Identifier, Patient, PatientLink, RelatedPerson } from '../../src/fhir/types.js';
import { coding, concept, odsReference } from '../../src/mapping/coding.js';
import { terminology } from '../../src/mapping/terminology.js';
import { codeable, isHl7Table, localCodeSystem, V2_CONTACT_ROLE, V2_RELATIONSHIP } from './codes.js';
import { patientKey } from './identity.js';
import type { Coded, NextOfKin, PersonName, PersonRecord, PostalAddress } from './record.js';
import { identifiers, isIdentified, personId, type Hl7Scope } from './scope.js';

/** The subject Patient, and for each next of kin a RelatedPerson (plus a Patient when identified). */
export function mapPeople(scope: Hl7Scope): Array<Patient | RelatedPerson> {
  return [subject(scope), ...scope.record.nextOfKin.flatMap((k) => nextOfKin(scope, k))];
}

/**
 * The patient as this message describes them. PD1-3 becomes `generalPractitioner` by ODS
 * code (routing reads exactly that). An A40 adds `link: replaces` to the merged record,
 * by identifier: the merge itself (re-pointing history) is identity's work.
 */
function subject(scope: Hl7Scope): Patient {
  const p = scope.record.patient;
  const merged = scope.record.merge?.previous;
  const link: PatientLink[] = merged && isIdentified(merged)
    ? [{ type: 'replaces', other: { type: 'Patient', identifier: mergedIdentifier(merged) } }]
    : [];
  return {
    ...person(scope.patientId, p),
    ...(p.addresses.length ? { address: p.addresses.map(address) } : {}),
    ...(p.practice ? { generalPractitioner: [odsReference(p.practice.odsCode, p.practice.name)] } : {}),
    ...(p.deceasedAt ? { deceasedDateTime: p.deceasedAt } : {}),
    ...(link.length ? { link } : {}),
  };
}

/** MRG-1's first local id (what a PAS merges: duplicate registrations), else its NHS number. */
function mergedIdentifier(ids: PersonRecord['ids']): Identifier {
  const local = ids.local[0];
  return local ? { system: localIdSystem(local.authority, 'patient'), value: local.value } : { system: SYSTEM.nhsNumber, value: ids.nhsNumber! };
}

function nextOfKin(scope: Hl7Scope, k: NextOfKin): Array<Patient | RelatedPerson> {
  const rpId = scope.patientScopedId('related-person', relatedPersonKey(k));
  const related: RelatedPerson = {
    resourceType: 'RelatedPerson',
    id: rpId,
    meta: { profile: [PROFILE.ukCoreRelatedPerson] },
    ...(isIdentified(k.person.ids) ? { identifier: identifiers(k.person.ids) } : {}),
    patient: scope.patient,
    ...relationships(scope, k),
    ...names(k.person.names),
    ...(k.person.gender ? { gender: k.person.gender } : {}),
    ...(k.person.birthDate ? { birthDate: k.person.birthDate } : {}),
    ...(k.person.addresses.length ? { address: k.person.addresses.map(address) } : {}),
  };
  if (!isIdentified(k.person.ids)) return [related];
  // An identified relative is a person in their own right, so their own records can attach.
  const own: Patient = { ...person(personId(k.person.ids), k.person), link: [{ other: { reference: `RelatedPerson/${rpId}` }, type: 'seealso' }] };
  return [related, own];
}

/** Which relationship this is, stably across messages: who (by identifier, else name and birth date) and how related. */
function relatedPersonKey(k: NextOfKin): string {
  if (isIdentified(k.person.ids)) return `id|${patientKey(k.person.ids)}`;
  const n = k.person.names[0];
  return ['name', k.relationship?.code ?? '', n?.family ?? '', (n?.given ?? []).join(' '), k.person.birthDate ?? '', k.occurrence].join('|');
}

/** NK1-3 with its v3 RoleCode translation (ConceptMap hl7v2-relationship-to-v3-rolecode), and NK1-7 (table 0131). */
function relationships(scope: Hl7Scope, k: NextOfKin): { relationship?: CodeableConcept[] } {
  const out: CodeableConcept[] = [];
  if (k.relationship) out.push(relationship(scope, k.relationship));
  const role = k.contactRole;
  if (role?.code && isHl7Table(role, '0131') && /^[A-Z]$/.test(role.code)) out.push(concept([coding(V2_CONTACT_ROLE, role.code, role.display)], role.display));
  return out.length ? { relationship: out } : {};
}

function relationship(scope: Hl7Scope, c: Coded): CodeableConcept {
  if (!c.code || !isHl7Table(c, '0063')) return codeable(c, scope.facility);
  const code = c.code.toUpperCase();
  const v3 = terminology().translate(V2_RELATIONSHIP, code, { targetSystem: SYSTEM.v3RoleCode }).map((t) => t.coding);
  const own = v3.length > 0 || KNOWN_0063.has(code)
    ? coding(V2_RELATIONSHIP, code, c.display)
    : coding(localCodeSystem(scope.facility, 'relationship'), c.code, c.display);
  return concept([own, ...v3], c.display);
}

/** Table 0063 codes with no RoleCode equivalent: still HL7's codes, not the site's. */
const KNOWN_0063 = new Set(['DEP', 'WRD', 'CGV', 'GRD', 'OAD', 'EMC', 'EME', 'EMR', 'ASC', 'OWN', 'TRA', 'MGR', 'NON', 'UNK', 'OTH']);

function person(id: string, p: PersonRecord): Patient {
  return {
    resourceType: 'Patient',
    id,
    meta: { profile: [PROFILE.ukCorePatient] },
    ...(isIdentified(p.ids) ? { identifier: identifiers(p.ids) } : {}),
    ...names(p.names),
    ...(p.gender ? { gender: p.gender } : {}),
    ...(p.birthDate ? { birthDate: p.birthDate } : {}),
  };
}

function names(list: readonly PersonName[]): { name?: HumanName[] } {
  if (list.length === 0) return {};
  return {
    name: list.map((n) => ({
      ...(n.use ? { use: n.use } : {}),
      ...(n.family ? { family: n.family } : {}),
      ...(n.given.length ? { given: n.given } : {}),
      ...(n.prefix ? { prefix: [n.prefix] } : {}),
      ...(n.suffix ? { suffix: [n.suffix] } : {}),
    })),
  };
}

function address(a: PostalAddress): Address {
  return {
    ...(a.use ? { use: a.use } : {}),
    ...(a.lines.length ? { line: a.lines } : {}),
    ...(a.city ? { city: a.city } : {}),
    ...(a.district ? { district: a.district } : {}),
    ...(a.postcode ? { postalCode: a.postcode } : {}),
    ...(a.country ? { country: a.country } : {}),
    ...(a.period ? { period: a.period } : {}),
  };
}
