import type { RecordIdentity } from '../../src/ingest/source.js';
import { localKey } from './read-person.js';
import type { GpHl7Record, PersonIds } from './record.js';

/**
 * The source record a message is about, which decides what a newer message replaces
 * (the pipeline retires what a record produced before and its newer message lacks).
 * HL7 v2 messages are snapshots of what they are about (HL7 v2.5 section 2.10.4), and
 * different messages are about different things, so the key follows the message kind:
 *
 * - A28, A31 (add/update person): the person at this sender — `…|person|<patient>`.
 *   A newer one replaces the demographics, registered practice, next of kin and any
 *   DG1/OBX the last one sent.
 * - A01, A04, A08 (admit, register, update a visit): one visit of the person —
 *   `…|visit|<patient>|<visit>`, the visit being PV1-19, else the admission time
 *   PV1-44, else the message itself. A later A08 for the visit replaces its diagnoses
 *   and observations; a person update (A31) never retires what a visit recorded, so an
 *   injury seen in surgery stays when the address changes.
 * - A40 (merge): the merge itself — `…|merge|<survivor>|<merged>`; it retires nothing.
 * - S12, S26 (appointment booked, no-show): the appointment — `…|appointment|<SCH-2>`;
 *   the S26 replaces the S12's status.
 *
 * The version is EVN-2 (else MSH-7) as `YYYYMMDDHHMMSS` UTC, so a message recorded
 * earlier that arrives later changes nothing.
 */
export function gpHl7Identity(record: GpHl7Record): RecordIdentity {
  const { header } = record;
  const base = `gp-hl7v2|${header.sendingFacility}`;
  const patient = patientKey(record.patient.ids);
  return { key: `${base}|${scopeKey(record, patient)}`, version: header.versionNumber };
}

/** The part of the key after the facility; also scopes the ids of what the record produced. */
export function scopeKey(record: GpHl7Record, patient = patientKey(record.patient.ids)): string {
  const { header } = record;
  if (record.appointment) return `appointment|${localKey(record.appointment.id)}`;
  if (header.event === 'A40') return `merge|${patient}|${record.merge ? patientKey(record.merge.previous) : ''}`;
  if (header.event === 'A28' || header.event === 'A31') return `person|${patient}`;
  return `visit|${patient}|${visitKey(record)}`;
}

function visitKey(record: GpHl7Record): string {
  const v = record.visit;
  if (v?.visitNumber) return localKey(v.visitNumber);
  if (v?.admittedAt) return `admitted|${v.admittedAt}`;
  return `message|${record.header.controlId}`;
}

/**
 * The sender's own id for the person (the first local id: stable while an NHS number is
 * added or traced later), else the NHS number.
 */
export function patientKey(ids: PersonIds): string {
  const local = ids.local[0];
  if (local) return `local|${localKey(local)}`;
  return `nhs|${ids.nhsNumber ?? ''}`;
}
