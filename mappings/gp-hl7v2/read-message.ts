import { CradleError } from '../../src/fhir/outcome.js';
import { parseEr7, type Er7Message, type Er7Segment } from '../../src/ingest/hl7v2/er7.js';
import { readAppointment } from './read-appointment.js';
import { readDiagnoses, readObservations, readVisit } from './read-clinical.js';
import { readHeader } from './read-header.js';
import { localKey, readAddresses, readBirthDate, readGender, readIdentifiers, readNames, readPractice } from './read-person.js';
import { IssueList, readCoded, readFhirDateTime } from './read-values.js';
import type { GpHl7Record, Hl7Header, NextOfKin, PatientRecord, PersonIds, PersonRecord } from './record.js';

const VISIT_EVENTS = new Set(['A01', 'A04', 'A08']);
const PERSON_EVENTS = new Set(['A01', 'A04', 'A08', 'A28', 'A31']);

/**
 * ER7 → {@link GpHl7Record}, checking the read subset as it goes. Every problem in the
 * message is reported at once, each at its HL7 position (`PID-7`, `NK1[2]-33.1`); a
 * message type or version Cradle does not read stops at the header (CRADLE_MESSAGE_UNSUPPORTED).
 */
export function readGpHl7Message(body: Buffer): GpHl7Record {
  const msg = parseEr7(body);
  const issues = new IssueList();
  const header = readHeader(msg, issues);
  const pids = msg.all('PID');
  if (pids.length > 1) {
    throw new CradleError('CRADLE_MESSAGE_UNSUPPORTED', { expression: ['PID[2]'], diagnostics: 'one patient per message: send each patient (each merge) as its own message' });
  }
  const pid = pids[0];
  if (!pid) {
    issues.missing('PID', 'patient identification segment');
    issues.throwIfAny();
  }
  const patient = readPatient(pid!, msg.segment('PD1'), header, issues);
  const adt = header.messageType === 'ADT';
  // Elements assigned in record order, each read in this order (so issues keep theirs),
  // rather than spread from `{ x }`/`{}` halves: V8 copies spreads slowly. The cast: the
  // required elements are assigned below.
  const nextOfKin = adt && PERSON_EVENTS.has(header.event) ? readNextOfKin(msg, header.sendingFacility, issues) : [];
  const record = { header, patient, nextOfKin } as GpHl7Record;
  const visit = VISIT_EVENTS.has(header.event) ? readVisit(msg.segment('PV1'), header.sendingFacility, issues) : undefined;
  if (visit) record.visit = visit;
  record.diagnoses = header.event === 'A40' ? [] : readDiagnoses(msg, issues);
  record.observations = header.event === 'A40' ? [] : readObservations(msg, issues);
  if (header.event === 'A40') record.merge = readMerge(msg, patient.ids, header.sendingFacility, issues);
  if (!adt) {
    const appointment = readAppointment(msg, header.sendingFacility, issues);
    if (appointment) record.appointment = appointment;
  }
  issues.throwIfAny();
  return record;
}

function readPatient(pid: Er7Segment, pd1: Er7Segment | undefined, header: Hl7Header, issues: IssueList): PatientRecord {
  // PID-2 (external id, retained for backward compatibility) carries the NHS number in some UK PAS feeds.
  const ids = readIdentifiers([...pid.repetitions(3), ...pid.repetitions(2)], header.sendingFacility, issues);
  if (!ids.nhsNumber && ids.local.length === 0 && !issues.issues.some((i) => i.code === 'CRADLE_NHS_NUMBER_INVALID')) {
    issues.missing('PID-3', 'patient identifier list');
  }
  const birthDate = readBirthDate(pid.field(7), issues);
  const gender = readGender(pid.field(8));
  const practice = readPractice(pd1);
  const deceasedAt = readFhirDateTime(pid.field(29), issues, 'patient death date/time');
  // Assigned in order, not spread (see readGpHl7Message); addresses are read last, as ever.
  const patient = { ids, names: readNames(pid.repetitions(5)) } as PatientRecord;
  if (birthDate) patient.birthDate = birthDate;
  if (gender) patient.gender = gender;
  patient.addresses = readAddresses(pid.repetitions(11), issues);
  if (practice) patient.practice = practice;
  if (deceasedAt) patient.deceasedAt = deceasedAt;
  return patient;
}

/** NK1: related people with their relationship (NK1-3), contact role (NK1-7) and identifiers (NK1-33). */
function readNextOfKin(msg: Er7Message, facility: string, issues: IssueList): NextOfKin[] {
  const kin: NextOfKin[] = [];
  for (const nk1 of msg.all('NK1')) {
    const ids = readIdentifiers(nk1.repetitions(33), facility, issues);
    const names = readNames(nk1.repetitions(2));
    // An NK1 naming only an organisation (NK1-13) is a contact, not a person.
    if (names.length === 0 && !ids.nhsNumber && ids.local.length === 0) continue;
    const relationship = readCoded(nk1.field(3));
    const contactRole = readCoded(nk1.field(7));
    const birthDate = readBirthDate(nk1.field(16), issues);
    const gender = readGender(nk1.field(15));
    // Assigned in order, not spread (see readGpHl7Message).
    const person = { ids, names } as PersonRecord;
    if (birthDate) person.birthDate = birthDate;
    if (gender) person.gender = gender;
    person.addresses = readAddresses(nk1.repetitions(4), issues);
    const next = { occurrence: nk1.occurrence } as NextOfKin;
    if (relationship) next.relationship = relationship;
    if (contactRole) next.contactRole = contactRole;
    next.person = person;
    kin.push(next);
  }
  return kin;
}

/** MRG-1: the identifiers of the record merged into the surviving one (PID). */
function readMerge(msg: Er7Message, survivor: PersonIds, facility: string, issues: IssueList): { previous: PersonIds } | undefined {
  const mrg = msg.segment('MRG');
  if (!mrg || !mrg.get(1)) {
    issues.missing('MRG-1', 'prior patient identifier list');
    return undefined;
  }
  const previous = readIdentifiers(mrg.repetitions(1), facility, issues);
  const same = previous.local.some((p) => survivor.local.some((s) => localKey(s) === localKey(p)))
    || (previous.nhsNumber !== undefined && previous.nhsNumber === survivor.nhsNumber && previous.local.length === 0);
  if (same) issues.add('CRADLE_INPUT_INCONSISTENT', 'MRG-1', 'MRG-1 names the surviving patient itself: a record cannot be merged into itself');
  return { previous };
}
