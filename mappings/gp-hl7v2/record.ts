/**
 * What Cradle reads from a GP HL7 v2 message, as TypeScript: the read subset of HL7 v2.3–2.5
 * (README, "gp-hl7v2"). `parse` builds this from ER7, checking it; `map` turns it into FHIR.
 */
export type AdtEvent = 'A01' | 'A04' | 'A08' | 'A28' | 'A31' | 'A40';
export type SiuEvent = 'S12' | 'S26';

export interface Hl7Header {
  /** MSH-4 (namespace id, else universal id), else MSH-3: the scope of local identifiers. */
  sendingFacility: string;
  sendingApplication: string;
  messageType: 'ADT' | 'SIU';
  event: AdtEvent | SiuEvent;
  /** MSH-10 */
  controlId: string;
  /** MSH-12 */
  version: string;
  /** EVN-2 (when the event was recorded), else MSH-7, as FHIR dateTime. */
  recordedAt: string;
  /** The same instant as `YYYYMMDDHHMMSS` (UTC): the version Cradle orders messages by. */
  versionNumber: number;
}

/** A coded value (CE/CWE): the sender's code and coding-system name (HL7 table 0396), and its alternate. */
export interface Coded {
  code?: string;
  display?: string;
  codingSystem?: string;
  alternate?: { code: string; display?: string; codingSystem?: string };
  /** Where it was read (for messages about it). */
  at: string;
}

export interface LocalId {
  /** The assigning authority (CX-4), else the sending facility. */
  authority: string;
  value: string;
  /** CX-5 identifier type (HL7 table 0203), when sent. */
  type?: string;
}

export interface PersonIds {
  nhsNumber?: string;
  local: LocalId[];
}

export interface PersonName {
  family?: string;
  given: string[];
  prefix?: string;
  suffix?: string;
  use?: 'official' | 'usual' | 'maiden' | 'nickname';
}

export interface PostalAddress {
  lines: string[];
  city?: string;
  district?: string;
  postcode?: string;
  country?: string;
  use?: 'home' | 'work' | 'temp' | 'old';
  period?: { start?: string; end?: string };
}

export type Gender = 'male' | 'female' | 'other' | 'unknown';

export interface PersonRecord {
  ids: PersonIds;
  names: PersonName[];
  birthDate?: string;
  gender?: Gender;
  addresses: PostalAddress[];
}

export interface PatientRecord extends PersonRecord {
  /** PD1-3: the registered practice, when it carries a GP practice ODS code. */
  practice?: { odsCode: string; name?: string };
  deceasedAt?: string;
}

export interface NextOfKin {
  /** Which NK1 segment (1-based). */
  occurrence: number;
  /** NK1-3: the related person's relationship to the patient (HL7 table 0063, user-defined). */
  relationship?: Coded;
  /** NK1-7: contact role (HL7 table 0131). */
  contactRole?: Coded;
  person: PersonRecord;
}

export interface Visit {
  /** PV1-19 */
  visitNumber?: LocalId;
  /** PV1-2 (HL7 table 0004) */
  patientClass?: string;
  admittedAt?: string;
  dischargedAt?: string;
}

export interface DiagnosisRecord {
  occurrence: number;
  /** DG1-20 diagnosis identifier (v2.5+), when sent. */
  identifier?: string;
  code: Coded;
  description?: string;
  at?: string;
  /** DG1-6 (HL7 table 0052): A admitting, W working, F final. */
  type?: string;
}

export type ObservationValue =
  | { kind: 'quantity'; value: number; comparator?: '<' | '<=' | '>=' | '>'; unit?: Coded }
  | { kind: 'string'; value: string }
  | { kind: 'coded'; value: Coded }
  | { kind: 'dateTime'; value: string };

export interface ObservationRecord {
  occurrence: number;
  code: Coded;
  subId?: string;
  value?: ObservationValue;
  /** FHIR Observation.status from OBX-11 (HL7 table 0085). */
  status: 'final' | 'amended' | 'corrected' | 'preliminary' | 'registered' | 'cancelled' | 'entered-in-error';
  at?: string;
  /** OBX-20 observation site (v2.5+). */
  site?: Coded;
}

export interface AppointmentRecord {
  /** SCH-2 filler appointment id, else SCH-1 placer appointment id. */
  id: LocalId;
  start: string;
  end?: string;
  minutes?: number;
  reason?: Coded;
  type?: Coded;
  service?: Coded;
}

export interface GpHl7Record {
  header: Hl7Header;
  patient: PatientRecord;
  nextOfKin: NextOfKin[];
  visit?: Visit;
  diagnoses: DiagnosisRecord[];
  observations: ObservationRecord[];
  /** A40: MRG-1, the patient record merged into this one. */
  merge?: { previous: PersonIds };
  appointment?: AppointmentRecord;
}
