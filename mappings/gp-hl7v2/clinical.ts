import { localIdSystem, PROFILE, SYSTEM } from '../../src/fhir/canonical.js';
import type { Condition, Encounter, Observation, Period, Quantity, Reference } from '../../src/fhir/types.js';
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
  const out: Array<Encounter | Condition | Observation> = encounter ? [encounter] : [];
  for (const d of scope.record.diagnoses) {
    const code = codeKey(d.code);
    out.push(condition(scope, d, encounterRef, d.identifier ?? `${code}|${nth(`dg1|${code}`)}`));
  }
  for (const o of scope.record.observations) {
    const code = `${codeKey(o.code)}|${o.subId ?? ''}`;
    out.push(observation(scope, o, encounterRef, `${code}|${nth(`obx|${code}`)}`));
  }
  return out;
}

function visit(scope: Hl7Scope): Encounter | undefined {
  const v = scope.record.visit;
  // PV1-2 N: "not applicable" — the message carries no visit.
  if (!v || v.patientClass === 'N') return undefined;
  const [code, display] = CLASS[v.patientClass ?? ''] ?? ['AMB', 'ambulatory'];
  const status = v.dischargedAt ? 'finished' : scope.record.header.event === 'A04' ? 'arrived' : 'in-progress';
  // Resources here are built in JSON element order with the optional elements assigned,
  // rather than spread from `{ x }`/`{}` halves: the same output without a temporary
  // object and a slow copy each. The cast: the required elements are assigned below.
  const encounter = { resourceType: 'Encounter', id: scope.id('encounter'), meta: { profile: [PROFILE.ukCoreEncounter] } } as Encounter;
  if (v.visitNumber) encounter.identifier = [{ system: localIdSystem(v.visitNumber.authority, 'visit'), value: v.visitNumber.value }];
  encounter.status = status;
  encounter.class = coding(SYSTEM.v3ActCode, code, display);
  encounter.subject = scope.patient;
  if (v.admittedAt || v.dischargedAt) {
    const period: Period = {};
    if (v.admittedAt) period.start = v.admittedAt;
    if (v.dischargedAt) period.end = v.dischargedAt;
    encounter.period = period;
  }
  encounter.serviceProvider = scope.organisation;
  return encounter;
}

/** DG1 → Condition with the sender's code; DG1-6 final is confirmed, admitting and working diagnoses provisional. */
function condition(scope: Hl7Scope, d: DiagnosisRecord, encounter: Reference | undefined, key: string): Condition {
  const verification = d.type === 'F' ? 'confirmed' : d.type === 'A' || d.type === 'W' ? 'provisional' : undefined;
  // In JSON element order, as `visit`; the cast: `subject` is assigned below.
  const condition = { resourceType: 'Condition', id: scope.id('dg1', key), meta: { profile: [PROFILE.ukCoreCondition] } } as Condition;
  if (encounter) condition.category = [concept([coding(SYSTEM.conditionCategory, 'encounter-diagnosis', 'Encounter Diagnosis')])];
  if (verification) condition.verificationStatus = concept([coding('http://terminology.hl7.org/CodeSystem/condition-ver-status', verification)]);
  const code = codeable(d.code, scope.facility);
  // DG1-4 is the text only when the code has no display of its own.
  if (d.description && !d.code.display) code.text = d.description;
  condition.code = code;
  condition.subject = scope.patient;
  if (encounter) condition.encounter = encounter;
  if (d.at) condition.recordedDate = d.at;
  condition.asserter = scope.organisation;
  return condition;
}

/**
 * OBX → Observation with the sender's code. OBX-14 gives the time; without it, the time
 * the event was recorded (EVN-2/MSH-7) — an observation is made no later than it is sent,
 * and rules need a time to judge age.
 */
function observation(scope: Hl7Scope, o: ObservationRecord, encounter: Reference | undefined, key: string): Observation {
  // In JSON element order, as `visit`.
  const obs: Observation = {
    resourceType: 'Observation',
    id: scope.id('obx', key),
    meta: { profile: [PROFILE.ukCoreObservation] },
    status: o.status,
    code: codeable(o.code, scope.facility),
    subject: scope.patient,
  };
  if (encounter) obs.encounter = encounter;
  obs.effectiveDateTime = o.at ?? scope.record.header.recordedAt;
  obs.performer = [scope.organisation];
  if (o.value) Object.assign(obs, value(scope, o.value));
  if (o.site) obs.bodySite = codeable(o.site, scope.facility);
  return obs;
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
  const q: Quantity = { value: v.value };
  if (v.comparator) q.comparator = v.comparator;
  if (unit) q.unit = unit.display ?? unit.code;
  if (system && unit?.code) {
    q.system = system;
    q.code = unit.code;
  }
  return q;
}

function codeKey(c: DiagnosisRecord['code']): string {
  return `${c.codingSystem ?? ''}|${c.code ?? c.alternate?.code ?? c.display ?? ''}`;
}
