import type { Er7Message, Er7Segment, Er7Value } from '../../src/ingest/hl7v2/er7.js';
import { parseHl7DateTime } from '../../src/ingest/hl7v2/datetime.js';
import { readCoded, readFhirDateTime, type IssueList } from './read-values.js';
import type { DiagnosisRecord, ObservationRecord, ObservationValue, Visit } from './record.js';

/** PV1: the visit's number, class, admission and discharge times. */
export function readVisit(pv1: Er7Segment | undefined, facility: string, issues: IssueList): Visit | undefined {
  if (!pv1) return undefined;
  const number = pv1.field(19);
  const admittedAt = readFhirDateTime(pv1.field(44), issues, 'admit date/time');
  const dischargedAt = readFhirDateTime(pv1.field(45), issues, 'discharge date/time');
  // Elements assigned in record order rather than spread from `{ x }`/`{}` halves: V8
  // copies spreads slowly, and these are read for every message.
  const visit: Visit = {};
  const value = number.comp(1);
  if (value) visit.visitNumber = { authority: number.comp(4) || facility, value };
  const patientClass = pv1.get(2);
  if (patientClass) visit.patientClass = patientClass.toUpperCase();
  if (admittedAt) visit.admittedAt = admittedAt;
  if (dischargedAt) visit.dischargedAt = dischargedAt;
  return visit;
}

/** DG1 segments: coded diagnoses. A diagnosis the sender marks deleted (DG1-21 D) is left out. */
export function readDiagnoses(msg: Er7Message, issues: IssueList): DiagnosisRecord[] {
  const diagnoses: DiagnosisRecord[] = [];
  for (const dg1 of msg.all('DG1')) {
    if (dg1.get(21).toUpperCase() === 'D') continue;
    const code = readCoded(dg1.field(3));
    const description = dg1.get(4);
    if (!code && !description) {
      issues.missing(dg1.at(3), 'diagnosis code');
      continue;
    }
    const at = readFhirDateTime(dg1.field(5), issues, 'diagnosis date/time');
    // Assigned in order, not spread (see readVisit).
    const diagnosis: DiagnosisRecord = { occurrence: dg1.occurrence, code: code ?? { display: description, at: dg1.at(4) } };
    const identifier = dg1.get(20);
    if (identifier) diagnosis.identifier = identifier;
    if (description) diagnosis.description = description;
    if (at) diagnosis.at = at;
    const type = dg1.get(6);
    if (type) diagnosis.type = type.toUpperCase();
    diagnoses.push(diagnosis);
  }
  return diagnoses;
}

/** OBX-11 (HL7 table 0085) → Observation.status; D (delete) and N (not asked) carry no observation. */
const STATUS: Readonly<Record<string, ObservationRecord['status'] | null>> = {
  F: 'final', U: 'final', C: 'corrected', P: 'preliminary', R: 'preliminary', S: 'preliminary',
  I: 'registered', O: 'registered', X: 'cancelled', W: 'entered-in-error', D: null, N: null,
};

/** OBX segments: coded observations with their values. */
export function readObservations(msg: Er7Message, issues: IssueList): ObservationRecord[] {
  const observations: ObservationRecord[] = [];
  for (const obx of msg.all('OBX')) {
    const statusCode = obx.get(11).toUpperCase();
    // OBX-11 is required by HL7 but often left empty in ADT: an OBX sent is a recorded fact.
    const status = statusCode === '' ? 'final' : STATUS[statusCode];
    if (status === null) continue;
    if (status === undefined) {
      issues.invalid(obx.at(11), 'must be an observation result status (HL7 table 0085)');
      continue;
    }
    const code = readCoded(obx.field(3));
    if (!code) {
      issues.missing(obx.at(3), 'observation identifier');
      continue;
    }
    // Read in this order (value, time, site), so any issues keep theirs; assigned, not spread (see readVisit).
    const value = readValue(obx, issues);
    const at = readFhirDateTime(obx.field(14), issues, 'observation date/time');
    const site = readCoded(obx.field(20));
    const observation: ObservationRecord = { occurrence: obx.occurrence, code, status };
    const subId = obx.get(4);
    if (subId) observation.subId = subId;
    if (value) observation.value = value;
    if (at) observation.at = at;
    if (site) observation.site = site;
    observations.push(observation);
  }
  return observations;
}

/**
 * OBX-5 by OBX-2 (HL7 table 0125). Only the first repetition of a numeric or coded value is
 * kept (FHIR Observation has one value); text repetitions are joined by line breaks.
 * Value types Cradle does not read (ED, RP, …) leave the Observation without a value.
 */
function readValue(obx: Er7Segment, issues: IssueList): ObservationValue | undefined {
  const reps = obx.repetitions(5);
  const first = reps[0];
  if (!first) return undefined;
  const type = obx.get(2).toUpperCase();
  switch (type) {
    case 'NM': return numeric(first.comp(1), obx, issues);
    case 'SN': return structuredNumeric(first, obx, issues);
    case 'ST': case 'TX': case 'FT': case 'ID': case 'IS': case '':
      return { kind: 'string', value: reps.map((r) => rawText(r)).filter(Boolean).join('\n') };
    case 'CE': case 'CWE': case 'CNE': case 'CF': {
      const coded = readCoded(first);
      return coded ? { kind: 'coded', value: coded } : undefined;
    }
    case 'DT': case 'TS': case 'DTM': {
      const t = parseHl7DateTime(first.comp(1));
      if (!t) issues.invalid(first.at(1), 'must be an HL7 date/time as OBX-2 says');
      return t ? { kind: 'dateTime', value: t.fhir } : undefined;
    }
    default: return undefined;
  }
}

function numeric(text: string, obx: Er7Segment, issues: IssueList, comparator?: '<' | '<=' | '>=' | '>'): ObservationValue | undefined {
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) {
    issues.invalid(obx.at(5), 'must be a number (OBX-2 is NM)');
    return undefined;
  }
  const unit = readCoded(obx.field(6));
  return { kind: 'quantity', value: n, ...(comparator ? { comparator } : {}), ...(unit ? { unit } : {}) };
}

/** SN: comparator ^ number ^ separator ^ number. A plain or compared number is a Quantity; ranges and ratios stay text. */
function structuredNumeric(v: Er7Value, obx: Er7Segment, issues: IssueList): ObservationValue | undefined {
  const comparator = v.comp(1);
  if (v.comp(3) || v.comp(4)) return { kind: 'string', value: [comparator, v.comp(2), v.comp(3), v.comp(4)].join('') };
  const allowed = ['<', '<=', '>=', '>'] as const;
  const cmp = allowed.find((c) => c === comparator);
  if (comparator && comparator !== '=' && !cmp) {
    issues.invalid(v.at(1), 'must be a comparator (<, <=, =, >=, >)');
    return undefined;
  }
  return numeric(v.comp(2), obx, issues, cmp);
}

/** The text of a TX/FT repetition: components rejoined (text may legitimately contain the separator). */
function rawText(v: Er7Value): string {
  const parts: string[] = [];
  for (let i = 1; i <= v.componentCount; i++) parts.push(v.comp(i));
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.join(' ').trim();
}
