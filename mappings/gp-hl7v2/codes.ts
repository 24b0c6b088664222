import { CRADLE_BASE, SYSTEM } from '../../src/fhir/canonical.js';
import type { CodeableConcept, Coding } from '../../src/fhir/types.js';
import { coding, concept } from '../../src/mapping/coding.js';
import type { Coded } from './record.js';

export const V2_RELATIONSHIP = 'http://terminology.hl7.org/CodeSystem/v2-0063';
export const V2_CONTACT_ROLE = 'http://terminology.hl7.org/CodeSystem/v2-0131';

/**
 * HL7 v2 coding-system names (table 0396) → FHIR system URIs. The sender's code is kept
 * under its own system — SNOMED CT, LOINC, ICD, Read v2 and CTV3 where named — so rules
 * recognise SNOMED codes through Cradle's ConceptMaps and nothing is re-coded by guess.
 */
const SYSTEMS: Readonly<Record<string, string>> = {
  SCT: SYSTEM.snomed, SNOMED: SYSTEM.snomed, SNOMEDCT: SYSTEM.snomed, 'SNOMED-CT': SYSTEM.snomed, SCTID: SYSTEM.snomed,
  LN: SYSTEM.loinc, LOINC: SYSTEM.loinc,
  I10: 'http://hl7.org/fhir/sid/icd-10', ICD10: 'http://hl7.org/fhir/sid/icd-10',
  I9: 'http://hl7.org/fhir/sid/icd-9-cm', I9C: 'http://hl7.org/fhir/sid/icd-9-cm',
  READ: 'http://read.info/readv2', READ2: 'http://read.info/readv2', R2: 'http://read.info/readv2',
  CTV3: 'http://read.info/ctv3', READ3: 'http://read.info/ctv3', R3: 'http://read.info/ctv3',
  UCUM: SYSTEM.ucum,
};

/**
 * The FHIR system for a v2 coding-system name: a known one, HL7's own tables (`HL70063` →
 * v2-0063), else a local CodeSystem of the sender (`…/CodeSystem/local/<facility>/<name>`)
 * — a code with no system would mean nothing once it left the message.
 */
export function systemFor(name: string | undefined, facility: string): string {
  const key = (name ?? '').toUpperCase();
  const known = SYSTEMS[key];
  if (known) return known;
  const table = /^HL7(\d{4})$/.exec(key);
  if (table) return `http://terminology.hl7.org/CodeSystem/v2-${table[1]}`;
  return localCodeSystem(facility, name || 'unspecified');
}

export function localCodeSystem(facility: string, name: string): string {
  return `${CRADLE_BASE}/CodeSystem/local/${encodeURIComponent(facility)}/${encodeURIComponent(name)}`;
}

/** A CE/CWE as a CodeableConcept: the primary coding, the alternate, and the text. */
export function codeable(c: Coded, facility: string): CodeableConcept {
  const codings: Array<Coding | undefined> = [
    c.code ? coding(systemFor(c.codingSystem, facility), c.code, c.display) : undefined,
    c.alternate ? coding(systemFor(c.alternate.codingSystem, facility), c.alternate.code, c.alternate.display) : undefined,
  ];
  return concept(codings, c.display ?? c.alternate?.display);
}

/** True when the code is from HL7 table `table` (no coding system named, or `HL7nnnn`). */
export function isHl7Table(c: Coded, table: string): boolean {
  const name = (c.codingSystem ?? '').toUpperCase();
  return name === '' || name === `HL7${table}` || name === `HL${table}`;
}
