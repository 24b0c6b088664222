import { CS } from '../../src/fhir/canonical.js';
import type { Appointment, Encounter, Observation } from '../../src/fhir/types.js';
import type { Contact, Finding, MaternityRecord } from '../maternity/record.js';
import type { BundleIndex, Located } from './bundle-index.js';
import { aboutOf, unknownSubject } from './facts.js';
import type { People } from './people.js';
import type { Problems } from './problems.js';
import { cradleCode, localIdOf, mintedKey, narrativeText } from './read-values.js';

type DaOutcome = NonNullable<Contact['domesticAbuseEnquiry']>;
type Reason = NonNullable<Contact['notAttendedReason']>;

/**
 * Attended contacts from Encounters (what was found and discussed from the Observations
 * on them), missed ones from noshow/cancelled Appointments. An Encounter of type `nipe`
 * on a baby without a contact identifier is the baby's newborn examination instead.
 */
export function contacts(index: BundleIndex, people: People, recordId: string, problems: Problems): Contact[] {
  const attended = index.ofType('Encounter').filter((e) => !isNipe(e, people, index)).flatMap((e) => encounterContact(index, e, people, recordId, problems));
  const missed = index.ofType('Appointment').filter((a) => a.resource.status === 'noshow' || a.resource.status === 'cancelled')
    .flatMap((a) => appointmentContact(a, people, recordId, problems));
  return [...attended, ...missed];
}

/** The babies' newborn examinations, with the skin findings (birthmarks) recorded at them. */
export function nipeOf(index: BundleIndex, people: People, baby: Located, problems: Problems): NonNullable<MaternityRecord['babies']>[number]['nipe'] | undefined {
  const exam = index.ofType('Encounter').find((e) => isNipe(e, people, index) && index.resolve(e.resource.subject)?.path === baby.path);
  const date = exam?.resource.period?.start;
  if (!exam || !date) return undefined;
  const skinFindings = findingsOn(index, exam, people, problems).map(({ subject: _s, ...f }) => f);
  return { date, ...(skinFindings.length ? { skinFindings } : {}) };
}

function encounterContact(index: BundleIndex, e: Located<Encounter>, people: People, recordId: string, problems: Problems): Contact[] {
  const r = e.resource;
  const subject = people.subject(r.subject);
  if (!subject) return unknownSubject(problems, `${e.path}.subject`);
  if (!r.period?.start) {
    problems.missing(`${e.path}.period.start`, 'is required: when the contact took place');
    return [];
  }
  const on = observationsOn(index, e);
  const da = cradleCode(on.find((o) => cradleCode(o.code, CS.observationType) === 'domestic-abuse-enquiry')?.valueCodeableConcept, CS.daEnquiryOutcome);
  const flag = (type: string) => on.find((o) => cradleCode(o.code, CS.observationType) === type)?.valueBoolean;
  const present = (r.participant ?? []).flatMap((p) => p.type?.map((t) => t.text).filter((t): t is string => !!t) ?? []);
  const findings = findingsOn(index, e, people, problems);
  const narrative = narrativeText(r.text?.div);
  const safeSleep = flag('safe-sleep-discussed');
  const icon = flag('icon-discussed');
  return [{
    contactId: localIdOf(r.identifier, recordId) ?? mintedKey('enc', r.period.start, subject),
    type: contactType(r.type?.[0], subject), date: r.period.start, subject, attended: true,
    ...(present.length ? { present } : {}), ...(da ? { domesticAbuseEnquiry: da as DaOutcome } : {}),
    ...(safeSleep !== undefined ? { safeSleepDiscussed: safeSleep } : {}), ...(icon !== undefined ? { iconDiscussed: icon } : {}),
    ...(findings.length ? { findings } : {}), ...(narrative ? { narrative } : {}),
  }];
}

function appointmentContact(a: Located<Appointment>, people: People, recordId: string, problems: Problems): Contact[] {
  const r = a.resource;
  const subject = people.subject(r.participant?.[0]?.actor);
  if (!subject) return unknownSubject(problems, `${a.path}.participant[0].actor`);
  if (!r.start) {
    problems.missing(`${a.path}.start`, 'is required: when the missed contact was due');
    return [];
  }
  const reason = cradleCode(r.cancelationReason, CS.notAttendedReason) as Reason | undefined;
  return [{
    contactId: localIdOf(r.identifier, recordId) ?? mintedKey('appt', r.start, subject),
    type: contactType(r.appointmentType, subject), date: r.start, subject, attended: false,
    notAttendedReason: reason ?? (r.status === 'cancelled' ? 'cancelled-by-service' : 'did-not-attend'),
  }];
}

function findingsOn(index: BundleIndex, e: Located<Encounter>, people: People, problems: Problems): Finding[] {
  return index.ofType('Observation').filter((o) => index.resolve(o.resource.encounter)?.path === e.path).flatMap((o): Finding[] => {
    const kind = cradleCode(o.resource.code, CS.findingKind) as Finding['kind'] | undefined;
    if (!kind) return [];
    const subject = people.subject(o.resource.subject, aboutOf(o.resource.extension));
    if (!subject) return unknownSubject(problems, `${o.path}.subject`);
    const site = o.resource.bodySite;
    const siteCode = site?.coding?.find((c) => c.system === 'http://snomed.info/sct')?.code;
    return [{ subject, kind, ...(site?.text ? { bodySite: site.text } : {}), ...(siteCode ? { bodySiteCode: siteCode } : {}),
      ...(o.resource.note?.[0]?.text ? { description: o.resource.note[0].text } : {}) }];
  });
}

function observationsOn(index: BundleIndex, e: Located<Encounter>): Observation[] {
  return index.ofType('Observation').filter((o) => index.resolve(o.resource.encounter)?.path === e.path).map((o) => o.resource);
}

function isNipe(e: Located<Encounter>, people: People, index: BundleIndex): boolean {
  const subject = people.subject(e.resource.subject) ?? '';
  return cradleCode(e.resource.type?.[0], CS.contactType) === 'nipe' && subject.startsWith('baby:') && !e.resource.identifier?.length
    && !!index.resolve(e.resource.subject);
}

/** The Cradle contact type when the copy codes one; otherwise a contact about a baby is postnatal, one about the mother antenatal. */
function contactType(cc: Encounter['type'] extends Array<infer T> | undefined ? T | undefined : never, subject: string): Contact['type'] {
  return (cradleCode(cc, CS.contactType) as Contact['type'] | undefined) ?? (subject.startsWith('baby:') ? 'postnatal' : 'antenatal');
}
