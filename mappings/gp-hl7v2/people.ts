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
  const out: Array<Patient | RelatedPerson> = [subject(scope)];
  for (const k of scope.record.nextOfKin) out.push(...nextOfKin(scope, k));
  return out;
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
  // The Patient `person` built, extended in place (elements in this order) rather than
  // spread into a copy: see `person`.
  const patient = person(scope.patientId, p);
  if (p.addresses.length) patient.address = p.addresses.map(address);
  if (p.practice) patient.generalPractitioner = [odsReference(p.practice.odsCode, p.practice.name)];
  if (p.deceasedAt) patient.deceasedDateTime = p.deceasedAt;
  if (link.length) patient.link = link;
  return patient;
}

/** MRG-1's first local id (what a PAS merges: duplicate registrations), else its NHS number. */
function mergedIdentifier(ids: PersonRecord['ids']): Identifier {
  const local = ids.local[0];
  return local ? { system: localIdSystem(local.authority, 'patient'), value: local.value } : { system: SYSTEM.nhsNumber, value: ids.nhsNumber! };
}

function nextOfKin(scope: Hl7Scope, k: NextOfKin): Array<Patient | RelatedPerson> {
  const rpId = scope.patientScopedId('related-person', relatedPersonKey(k));
  const identified = isIdentified(k.person.ids);
  const meta = { profile: [PROFILE.ukCoreRelatedPerson] };
  // Optional elements assigned in their JSON order (see `person`).
  const related: RelatedPerson = identified
    ? { resourceType: 'RelatedPerson', id: rpId, meta, identifier: identifiers(k.person.ids), patient: scope.patient }
    : { resourceType: 'RelatedPerson', id: rpId, meta, patient: scope.patient };
  const relationship = relationships(scope, k);
  if (relationship.length) related.relationship = relationship;
  const name = names(k.person.names);
  if (name) related.name = name;
  if (k.person.gender) related.gender = k.person.gender;
  if (k.person.birthDate) related.birthDate = k.person.birthDate;
  if (k.person.addresses.length) related.address = k.person.addresses.map(address);
  if (!identified) return [related];
  // An identified relative is a person in their own right, so their own records can attach.
  const own = person(personId(k.person.ids), k.person);
  own.link = [{ other: { reference: `RelatedPerson/${rpId}` }, type: 'seealso' }];
  return [related, own];
}

/** Which relationship this is, stably across messages: who (by identifier, else name and birth date) and how related. */
function relatedPersonKey(k: NextOfKin): string {
  if (isIdentified(k.person.ids)) return `id|${patientKey(k.person.ids)}`;
  const n = k.person.names[0];
  return ['name', k.relationship?.code ?? '', n?.family ?? '', (n?.given ?? []).join(' '), k.person.birthDate ?? '', k.occurrence].join('|');
}

/** NK1-3 with its v3 RoleCode translation (ConceptMap hl7v2-relationship-to-v3-rolecode), and NK1-7 (table 0131). */
function relationships(scope: Hl7Scope, k: NextOfKin): CodeableConcept[] {
  const out: CodeableConcept[] = [];
  if (k.relationship) out.push(relationship(scope, k.relationship));
  const role = k.contactRole;
  if (role?.code && isHl7Table(role, '0131') && /^[A-Z]$/.test(role.code)) out.push(concept([coding(V2_CONTACT_ROLE, role.code, role.display)], role.display));
  return out;
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

/**
 * A Patient's own elements. Optional elements are assigned one by one, in the order the
 * JSON shows them, rather than spread from `{ x }`/`{}` halves: the same output without a
 * temporary object and a copy per element (spreads were most of this mapping's time).
 */
function person(id: string, p: PersonRecord): Patient {
  const patient: Patient = { resourceType: 'Patient', id, meta: { profile: [PROFILE.ukCorePatient] } };
  if (isIdentified(p.ids)) patient.identifier = identifiers(p.ids);
  const name = names(p.names);
  if (name) patient.name = name;
  if (p.gender) patient.gender = p.gender;
  if (p.birthDate) patient.birthDate = p.birthDate;
  return patient;
}

function names(list: readonly PersonName[]): HumanName[] | undefined {
  if (list.length === 0) return undefined;
  return list.map((n) => {
    const name: HumanName = {};
    if (n.use) name.use = n.use;
    if (n.family) name.family = n.family;
    if (n.given.length) name.given = n.given;
    if (n.prefix) name.prefix = [n.prefix];
    if (n.suffix) name.suffix = [n.suffix];
    return name;
  });
}

function address(a: PostalAddress): Address {
  const out: Address = {};
  if (a.use) out.use = a.use;
  if (a.lines.length) out.line = a.lines;
  if (a.city) out.city = a.city;
  if (a.district) out.district = a.district;
  if (a.postcode) out.postalCode = a.postcode;
  if (a.country) out.country = a.country;
  if (a.period) out.period = a.period;
  return out;
}
