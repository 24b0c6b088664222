import { localIdSystem, PROFILE, SYSTEM } from '../../src/fhir/canonical.js';
import type { Condition, Encounter, Observation, Quantity, Reference } from '../../src/fhir/types.js';
import { coding, concept } from '../../src/mapping/coding.js';
import { codeable, systemFor } from './codes.js';
import type { DiagnosisRecord, ObservationRecord, ObservationValue } from './record.js';
import type { Hl7Scope } from './scope.js';

/** PV1-2 patient class (HL7 table 0004) → v3 ActCode encounter class. */
const CLASS: Readonly<Record<string, [string, string]>> = {
  I: ['IMP', 'inpatient encounter'], B: ['IMP', 'inpatient encounter'], E: ['EMER', 'emergency'],
  P: ['PRENC', 'pre-admission'], O: ['AMB', 'ambulatory'], R: ['AMB', 'ambulatory'], C: ['AMB', 'ambulatory'],
};

/** The visit (A01, A04, A08), then its diagnoses and observations. */
export function mapClinical(scope: Hl7Scope): Array<Encounter | Condition | Observation> {
  const encounter = visit(scope);
  const encounterRef = encounter ? { reference: `Encounter/${encounter.id}` } : undefined;
  const seen = new Map<string, number>();
  // Ids from what each fact is (its code), counted for repeats, so an A08 that reorders DG1s updates rather than swaps them.
  const nth = (key: string) => {
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return n;
  };
  return [
    ...(encounter ? [encounter] : []),
    ...scope.record.diagnoses.map((d) => condition(scope, d, encounterRef, d.identifier ?? `${codeKey(d.code)}|${nth(`dg1|${codeKey(d.code)}`)}`)),
    ...scope.record.observations.map((o) => observation(scope, o, encounterRef, `${codeKey(o.code)}|${o.subId ?? ''}|${nth(`obx|${codeKey(o.code)}|${o.subId ?? ''}`)}`)),
  ];
}

function visit(scope: Hl7Scope): Encounter | undefined {
  const v = scope.record.visit;
  // PV1-2 N: "not applicable" — the message carries no visit.
  if (!v || v.patientClass === 'N') return undefined;
  const [code, display] = CLASS[v.patientClass ?? ''] ?? ['AMB', 'ambulatory'];
  const status = v.dischargedAt ? 'finished' : scope.record.header.event === 'A04' ? 'arrived' : 'in-progress';
  return {
    resourceType: 'Encounter',
    id: scope.id('encounter'),
    meta: { profile: [PROFILE.ukCoreEncounter] },
    ...(v.visitNumber ? { identifier: [{ system: localIdSystem(v.visitNumber.authority, 'visit'), value: v.visitNumber.value }] } : {}),
    status,
    class: coding(SYSTEM.v3ActCode, code, display),
    subject: scope.patient,
    ...(v.admittedAt || v.dischargedAt ? { period: { ...(v.admittedAt ? { start: v.admittedAt } : {}), ...(v.dischargedAt ? { end: v.dischargedAt } : {}) } } : {}),
    serviceProvider: scope.organisation,
  };
}

/** DG1 → Condition with the sender's code; DG1-6 final is confirmed, admitting and working diagnoses provisional. */
function condition(scope: Hl7Scope, d: DiagnosisRecord, encounter: Reference | undefined, key: string): Condition {
  const verification = d.type === 'F' ? 'confirmed' : d.type === 'A' || d.type === 'W' ? 'provisional' : undefined;
  return {
    resourceType: 'Condition',
    id: scope.id('dg1', key),
    meta: { profile: [PROFILE.ukCoreCondition] },
    ...(encounter ? { category: [concept([coding(SYSTEM.conditionCategory, 'encounter-diagnosis', 'Encounter Diagnosis')])] } : {}),
    ...(verification ? { verificationStatus: concept([coding('http://terminology.hl7.org/CodeSystem/condition-ver-status', verification)]) } : {}),
    code: { ...codeable(d.code, scope.facility), ...(d.description && !d.code.display ? { text: d.description } : {}) },
    subject: scope.patient,
    ...(encounter ? { encounter } : {}),
    ...(d.at ? { recordedDate: d.at } : {}),
    asserter: scope.organisation,
  };
}

/**
 * OBX → Observation with the sender's code. OBX-14 gives the time; without it, the time
 * the event was recorded (EVN-2/MSH-7) — an observation is made no later than it is sent,
 * and rules need a time to judge age.
 */
function observation(scope: Hl7Scope, o: ObservationRecord, encounter: Reference | undefined, key: string): Observation {
  return {
    resourceType: 'Observation',
    id: scope.id('obx', key),
    meta: { profile: [PROFILE.ukCoreObservation] },
    status: o.status,
    code: codeable(o.code, scope.facility),
    subject: scope.patient,
    ...(encounter ? { encounter } : {}),
    effectiveDateTime: o.at ?? scope.record.header.recordedAt,
    performer: [scope.organisation],
    ...(o.value ? value(scope, o.value) : {}),
    ...(o.site ? { bodySite: codeable(o.site, scope.facility) } : {}),
  };
}

function value(scope: Hl7Scope, v: ObservationValue): Partial<Observation> {
  switch (v.kind) {
    case 'string': return { valueString: v.value };
    case 'dateTime': return { valueDateTime: v.value };
    case 'coded': return { valueCodeableConcept: codeable(v.value, scope.facility) };
    case 'quantity': return { valueQuantity: quantity(scope, v) };
  }
}

/** A unit code is written only with its system (R4 invariant qty-3): UCUM when the sender says so. */
function quantity(scope: Hl7Scope, v: Extract<ObservationValue, { kind: 'quantity' }>): Quantity {
  const unit = v.unit;
  const system = unit?.code && unit.codingSystem ? systemFor(unit.codingSystem, scope.facility) : undefined;
  return {
    value: v.value,
    ...(v.comparator ? { comparator: v.comparator } : {}),
    ...(unit ? { unit: unit.display ?? unit.code } : {}),
    ...(system && unit?.code ? { system, code: unit.code } : {}),
  };
}

function codeKey(c: DiagnosisRecord['code']): string {
  return `${c.codingSystem ?? ''}|${c.code ?? c.alternate?.code ?? c.display ?? ''}`;
}
