import { agencyOf } from '../fhir/agency.js';
import { CS } from '../fhir/canonical.js';
import type { AnyResource, CodeableConcept, List, ListEntry, Patient } from '../fhir/types.js';
import { cradleCoding } from '../mapping/code-systems.js';
import { children, infants, type FamilyPicture } from './family-picture.js';

/**
 * A family's chronology: every dated event Cradle holds about the people around the infant,
 * from every agency, oldest first — what case reviews ask for again and again. Each entry
 * names the agency, the date and what happened, and references the resource holding the
 * detail; it says no more than that (no names, no free-text notes).
 */
export function chronology(picture: FamilyPicture): List {
  const entries: ListEntry[] = [];
  const role = roleOf(picture);
  for (const child of children(picture)) if (child.birthDate) entries.push(entry(child.birthDate, child, 'Birth', role(child.id!), 'maternity'));
  for (const r of [...picture.resources, ...picture.flags]) {
    for (const [date, what] of events(r)) entries.push(entry(date, r, what, role(subjectOf(r)), agencyOf(r) ?? 'maternity'));
  }
  entries.sort((a, b) => Date.parse(a.date!) - Date.parse(b.date!) || (a.item.reference ?? '').localeCompare(b.item.reference ?? ''));
  return {
    resourceType: 'List',
    id: `chronology-${picture.key}`,
    status: 'current',
    mode: 'snapshot',
    title: 'Safeguarding chronology',
    subject: { reference: `Group/${picture.key}` },
    date: picture.asOf,
    orderedBy: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/list-order', code: 'event-date', display: 'Sorted by Event Date' }] },
    entry: entries,
  };
}

function entry(date: string, r: AnyResource | Patient, what: string, who: string, agency: string): ListEntry {
  const agencyCoding = cradleCoding(CS.agency, agency);
  return {
    date,
    flag: { coding: [agencyCoding], text: agencyCoding.display },
    item: { reference: `${r.resourceType}/${r.id}`, display: `${agencyCoding.display}: ${what}${who ? ` (${who})` : ''}` },
  };
}

/** The dated events a resource records, in words. */
function events(r: AnyResource): Array<[string, string]> {
  switch (r.resourceType) {
    case 'Encounter': return r.period?.start ? [[r.period.start, `${text(r.type?.[0]) ?? 'Contact'} attended`]] : [];
    case 'Appointment': return r.start ? [[r.start, `${text(r.appointmentType) ?? 'Appointment'} ${r.status === 'noshow' ? 'missed' : r.status}${r.cancelationReason ? `: ${text(r.cancelationReason)}` : ''}`]] : [];
    case 'Observation': {
      const date = r.effectiveDateTime ?? r.effectivePeriod?.start;
      const site = r.bodySite?.text ? ` on ${r.bodySite.text}` : '';
      return date ? [[date, `${text(r.code) ?? 'Observation'}${site}${r.valueBoolean === false ? ': no' : ''}`]] : [];
    }
    case 'Condition': {
      const date = r.recordedDate ?? r.onsetDateTime;
      const status = r.clinicalStatus?.coding?.[0]?.code;
      return date ? [[date, `${text(r.code) ?? 'Condition'} recorded${status ? ` (${status})` : ''}`]] : [];
    }
    case 'EpisodeOfCare':
    case 'CarePlan': {
      const name = r.resourceType === 'EpisodeOfCare' ? text(r.type?.[0]) : (r.title ?? text(r.category?.[0]));
      return [
        ...(r.period?.start ? [[r.period.start, `${name ?? 'Episode'} started`] as [string, string]] : []),
        ...(r.period?.end ? [[r.period.end, `${name ?? 'Episode'} ended`] as [string, string]] : []),
      ];
    }
    case 'ServiceRequest': return r.authoredOn ? [[r.authoredOn, text(r.code) ?? 'Referral']] : [];
    case 'Flag': return [
      ...(r.period?.start ? [[r.period.start, `Alert raised: ${r.code.text ?? r.code.coding?.[0]?.code}`] as [string, string]] : []),
      ...(r.period?.end ? [[r.period.end, `Alert withdrawn: ${r.code.coding?.[0]?.code}`] as [string, string]] : []),
    ];
    default: return [];
  }
}

function text(cc: CodeableConcept | undefined): string | undefined {
  return cc?.text ?? cc?.coding?.find((c) => c.display)?.display;
}

function subjectOf(r: AnyResource): string | undefined {
  const ref = (r as { subject?: { reference?: string }; patient?: { reference?: string }; participant?: Array<{ actor?: { reference?: string } }> });
  const value = ref.subject?.reference ?? ref.patient?.reference ?? ref.participant?.[0]?.actor?.reference;
  return value?.startsWith('Patient/') ? value.slice(8) : undefined;
}

/** "mother", "infant", "sibling, 4 years"… */
function roleOf(picture: FamilyPicture): (personId: string | undefined) => string {
  const infantIds = new Set(infants(picture).map((c) => c.id));
  return (personId) => {
    if (!personId) return '';
    if (personId === picture.key) return 'mother';
    if (infantIds.has(personId)) return 'infant';
    const member = picture.members.find((m) => m.personId === personId);
    if (member?.role === 'child') {
      const born = picture.patients.get(personId)?.birthDate;
      const years = born ? Math.floor((Date.parse(picture.asOf) - Date.parse(born)) / (365.25 * 86_400_000)) : undefined;
      return years !== undefined ? `sibling, ${years} year${years === 1 ? '' : 's'}` : 'sibling';
    }
    return member?.role.replace('-', ' ') ?? '';
  };
}
