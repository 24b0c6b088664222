import { CS, EXT, PROFILE, SYSTEM } from '../../src/fhir/canonical.js';
import type { Appointment, Encounter, EncounterParticipant, Extension, Observation, Reference } from '../../src/fhir/types.js';
import { cradleCoding } from '../../src/mapping/code-systems.js';
import { coding, concept } from '../../src/mapping/coding.js';
import { observation } from './pregnancy.js';
import type { Baby, Contact, Finding } from './record.js';
import type { MaternityScope } from './scope.js';
import { contactType, translated } from './terminology.js';

/**
 * Contacts: attended ones as Encounters with what was found and discussed; missed ones
 * as Appointments (noshow or cancelled) with the reason kept — a pattern of missed
 * appointments is itself a sign a parent is struggling (DOMAIN.md section 0).
 */
export function mapContacts(scope: MaternityScope): Array<Encounter | Appointment | Observation> {
  // One array filled in order, rather than flatMap and spreads copying every resource
  // through intermediate arrays (about ten contacts a record, each several resources).
  const out: Array<Encounter | Appointment | Observation> = [];
  for (const c of scope.record.contacts ?? []) {
    if (c.attended) attended(scope, c, out);
    else out.push(missed(scope, c));
  }
  for (const b of scope.record.babies ?? []) out.push(...nipe(scope, b));
  return out;
}

/** An attended contact: its Encounter, then what was asked, discussed and found, appended to `out`. */
function attended(scope: MaternityScope, c: Contact, out: Array<Encounter | Appointment | Observation>): void {
  const subject = scope.subject(c.subject).patient;
  const encounterId = scope.id('contact', c.contactId);
  // Built in element order (the order FHIR JSON shows), the optional elements assigned
  // in place rather than spread from `{}` halves, which is slow in the hottest resource.
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: encounterId,
    meta: { profile: [PROFILE.ukCoreEncounter] },
    identifier: [{ system: scope.localSystem('contact'), value: `${scope.record.recordId}/${c.contactId}` }],
    status: 'finished',
    class: encounterClass(c.type),
    type: [contactType(c.type)],
    subject,
    episodeOfCare: [scope.episode],
  };
  if (c.present?.length) encounter.participant = c.present.map((who) => participant(scope, who));
  encounter.period = { start: c.date };
  encounter.serviceProvider = scope.organisation;
  if (c.narrative) encounter.text = { status: 'additional', div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeXml(c.narrative)}</div>` };
  out.push(encounter);
  const encounterRef = { reference: `Encounter/${encounterId}` };
  const idParts = ['contact', c.contactId];
  const facts = (type: string, about: Reference, value: Parameters<typeof observation>[4]) =>
    observation(scope, type, about, c.date, value, idParts, encounterRef);
  if (c.domesticAbuseEnquiry) {
    // The routine enquiry is always of the mother, whoever the contact was for.
    out.push(facts('domestic-abuse-enquiry', scope.mother,
      { valueCodeableConcept: concept([cradleCoding(CS.daEnquiryOutcome, c.domesticAbuseEnquiry)]) }));
  }
  if (c.safeSleepDiscussed !== undefined) out.push(facts('safe-sleep-discussed', subject, { valueBoolean: c.safeSleepDiscussed }));
  if (c.iconDiscussed !== undefined) out.push(facts('icon-discussed', subject, { valueBoolean: c.iconDiscussed }));
  (c.findings ?? []).forEach((f, i) => {
    out.push(finding(scope, f, { id: scope.id('contact', c.contactId, 'finding', i), date: c.date, encounter: encounterRef, subject: f.subject }));
  });
}

function missed(scope: MaternityScope, c: Contact): Appointment {
  const reason = c.notAttendedReason ?? 'did-not-attend';
  const cancelled = reason === 'cancelled-by-patient' || reason === 'cancelled-by-service';
  return {
    resourceType: 'Appointment',
    id: scope.id('contact', c.contactId),
    meta: { profile: [PROFILE.ukCoreAppointment] },
    extension: [scope.episodeExtension],
    identifier: [{ system: scope.localSystem('contact'), value: `${scope.record.recordId}/${c.contactId}` }],
    status: cancelled ? 'cancelled' : 'noshow',
    cancelationReason: translated(CS.notAttendedReason, reason),
    appointmentType: contactType(c.type),
    // The record gives when the contact was booked for, not how long: FHIR's app-2 wants
    // start and end together, so the booked instant is both (no length is claimed).
    start: c.date,
    end: c.date,
    participant: [{ actor: scope.subject(c.subject).patient, status: reason === 'cancelled-by-patient' ? 'declined' : 'accepted' }],
  };
}

function nipe(scope: MaternityScope, b: Baby): Array<Encounter | Observation> {
  if (!b.nipe) return [];
  const encounterId = scope.id('nipe', b.localId);
  const subject = { reference: `Patient/${scope.babyIds.get(b.localId)}` };
  const encounter: Encounter = {
    resourceType: 'Encounter',
    id: encounterId,
    meta: { profile: [PROFILE.ukCoreEncounter] },
    status: 'finished',
    class: encounterClass('nipe'),
    type: [contactType('nipe')],
    subject,
    episodeOfCare: [scope.episode],
    period: { start: b.nipe.date },
    serviceProvider: scope.organisation,
  };
  return [encounter, ...(b.nipe.skinFindings ?? []).map((f, i) => finding(scope, { ...f, subject: `baby:${b.localId}` }, {
    id: scope.id('nipe', b.localId, 'skin-finding', i), date: b.nipe!.date, encounter: { reference: `Encounter/${encounterId}` },
    subject: `baby:${b.localId}`, atNipe: true,
  }))];
}

/** A skin finding (bruise, injury, birthmark) as an examination Observation with its body site. */
function finding(scope: MaternityScope, f: Finding,
  at: { id: string; date: string; encounter: Reference; subject: string; atNipe?: boolean }): Observation {
  const subject = scope.subject(at.subject);
  const extension: Extension[] = [scope.episodeExtension];
  if (subject.about) extension.push({ url: EXT.about, valueReference: subject.about });
  const observation: Observation = {
    resourceType: 'Observation',
    id: at.id,
    meta: { profile: [PROFILE.ukCoreObservation] },
    extension,
    status: 'final',
    category: [concept([coding(SYSTEM.observationCategory, 'exam', 'Exam')])],
    code: translated(CS.findingKind, f.kind),
    subject: subject.patient,
    encounter: at.encounter,
    effectiveDateTime: at.date,
    performer: [scope.organisation],
    valueBoolean: true,
  };
  // Optional elements last, in this order, as the JSON shows them.
  if (f.bodySite || f.bodySiteCode) {
    observation.bodySite = concept([f.bodySiteCode ? coding(SYSTEM.snomed, f.bodySiteCode) : undefined], f.bodySite);
  }
  if (at.atNipe) observation.method = concept([cradleCoding(CS.observationType, 'nipe-examination')]);
  if (f.description) observation.note = [{ text: f.description }];
  return observation;
}

function participant(scope: MaternityScope, who: string): EncounterParticipant {
  const word = who.trim().toLowerCase();
  if (word === 'partner' && scope.partnerRelatedPersonId) {
    return { type: [{ text: who }], individual: { reference: `RelatedPerson/${scope.partnerRelatedPersonId}` } };
  }
  return { type: [{ text: who }] };
}

function encounterClass(type: Contact['type']) {
  // v3 ActCode: postnatal contacts are usually home visits; discharge ends an inpatient stay.
  if (type === 'postnatal') return coding(SYSTEM.v3ActCode, 'HH', 'home health');
  if (type === 'discharge') return coding(SYSTEM.v3ActCode, 'IMP', 'inpatient encounter');
  return coding(SYSTEM.v3ActCode, 'AMB', 'ambulatory');
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
