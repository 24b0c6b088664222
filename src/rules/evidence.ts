import { AGENCY_NAMES, agencyOf } from '../fhir/agency.js';
import { EXT } from '../fhir/canonical.js';
import type { AnyResource, CodeableConcept, Observation, Patient, Reference } from '../fhir/types.js';
import { byRef, infants, type FamilyPicture } from '../identity/family-picture.js';

const DAY_MS = 86_400_000;

/** Built once: constructing an Intl.DateTimeFormat costs ~50 µs, and every rule's evidence formats dates. */
const UK_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });

/** "28 Nov 2026", in UK time: how a clinician reads a date. */
export function ukDate(iso: string): string {
  return UK_DATE.format(new Date(iso));
}

/** The birth instant: the birthTime extension when there is one, else the birth date at midnight UTC. */
export function birthInstant(patient: Patient): string | undefined {
  const time = (patient as Patient & { _birthDate?: { extension?: Array<{ url: string; valueDateTime?: string }> } })._birthDate
    ?.extension?.find((e) => e.url === EXT.birthTime)?.valueDateTime;
  return time ?? (patient.birthDate ? `${patient.birthDate}T00:00:00Z` : undefined);
}

export function ageInDays(patient: Patient, at: string): number | undefined {
  const born = birthInstant(patient);
  if (!born) return undefined;
  return Math.floor((Date.parse(at) - Date.parse(born)) / DAY_MS);
}

/** True when `at` falls before the patient is `months` calendar months old. */
export function youngerThanMonths(patient: Patient, at: string, months: number): boolean | undefined {
  const born = birthInstant(patient);
  if (!born) return undefined;
  const limit = new Date(born);
  limit.setUTCMonth(limit.getUTCMonth() + months);
  return Date.parse(at) < limit.getTime();
}

/** "10 days old", "7 weeks old", "5 months old". */
export function describeAge(days: number): string {
  if (days < 0) return 'not yet born at the time';
  if (days < 28) return `${days} day${days === 1 ? '' : 's'} old`;
  if (days < 91) return `${Math.floor(days / 7)} weeks old`;
  return `${Math.floor(days / 30.44)} months old`;
}

/** Who recorded it: the performer's name and ODS code, e.g. "University Hospital Southampton (RHM)". */
export function recordedBy(r: { performer?: Reference[]; asserter?: Reference; requester?: Reference }): string {
  const who = r.performer?.[0] ?? r.asserter ?? r.requester;
  if (!who) return 'an unnamed source';
  const ods = who.identifier?.value;
  if (who.display && ods) return `${who.display} (${ods})`;
  return who.display ?? ods ?? 'an unnamed source';
}

/** "postnatal contact", "NIPE examination": the context an Observation was recorded in. */
/** What an examination finding is recorded with: a body site and the encounter it was seen at. */
export interface Sited { bodySite?: CodeableConcept; encounter?: Reference }

export function recordedAt(picture: FamilyPicture, obs: Sited): string {
  const encounter = byRef(picture, obs.encounter?.reference) as { type?: CodeableConcept[] } | undefined;
  const type = encounter?.type?.[0]?.coding?.[0];
  if (type?.code === 'nipe') return 'the newborn examination (NIPE)';
  if (type?.display) return type.display.toLowerCase();
  return 'a contact';
}

export function siteText(obs: Sited): string | undefined {
  return obs.bodySite?.text ?? obs.bodySite?.coding?.[0]?.display;
}

/** Same body site: the same SNOMED code, or the same words once case and punctuation are ignored. */
export function sameSite(a: Sited, b: Sited): boolean {
  const codes = (o: Sited) => new Set((o.bodySite?.coding ?? []).map((c) => `${c.system}|${c.code}`));
  const ca = codes(a);
  if ([...codes(b)].some((c) => ca.has(c))) return true;
  const norm = (s: string | undefined) => s?.toLowerCase().replace(/[^a-z0-9 ]/g, ' ').replace(/\s+/g, ' ').trim();
  const ta = norm(a.bodySite?.text);
  return !!ta && ta === norm(b.bodySite?.text);
}

export function refOf(r: AnyResource): string {
  return `${r.resourceType}/${r.id}`;
}

/** An observation that asserts something (not withdrawn, not recorded as absent). */
export function asserted(obs: Observation): boolean {
  return obs.status !== 'entered-in-error' && obs.status !== 'cancelled' && obs.valueBoolean !== false;
}

/** When a fact was recorded or happened: the date a clinician would quote. */
export function dateOf(r: AnyResource): string | undefined {
  const x = r as { recordedDate?: string; onsetDateTime?: string; effectiveDateTime?: string; authoredOn?: string; start?: string; period?: { start?: string }; issued?: string };
  return x.recordedDate ?? x.effectiveDateTime ?? x.onsetDateTime ?? x.authoredOn ?? x.start ?? x.period?.start ?? x.issued;
}

/**
 * Who recorded a fact, in words: "University Hospital Southampton (RHM)" when named;
 * "general practice (J82001)" when only the ODS code is known; else the agency.
 */
export function whoRecorded(r: AnyResource): string {
  const x = r as { performer?: Reference[]; asserter?: Reference; requester?: Reference };
  const who = x.performer?.[0] ?? x.asserter ?? x.requester;
  const agency = agencyOf(r);
  const ods = who?.identifier?.value;
  if (who?.display) return ods ? `${who.display} (${ods})` : who.display;
  if (ods) return agency ? `${AGENCY_NAMES[agency]} (${ods})` : `organisation ${ods}`;
  return agency ? AGENCY_NAMES[agency] : 'an unnamed source';
}

/** Joins phrases, leaving out repeats (one visit coded twice reads once). */
export function listOnce(phrases: readonly string[], separator = '; '): string {
  return [...new Set(phrases)].join(separator);
}

/** "recorded by general practice on 3 Feb 2026". */
export function provenanceWords(r: AnyResource): string {
  const date = dateOf(r);
  return `recorded by ${whoRecorded(r)}${date ? ` on ${ukDate(date)}` : ''}`;
}

/** The person's place in the family, in words: "mother", "partner", "household adult", "baby", "sibling". */
export function roleWords(picture: FamilyPicture, personId: string): string {
  if (personId === picture.key) return 'mother';
  const role = picture.members.find((m) => m.personId === personId)?.role;
  if (role === 'child') return infants(picture).some((i) => i.id === personId) ? 'baby' : 'sibling';
  return role === 'household-adult' ? 'household adult' : role === 'household-other' ? 'household member' : (role ?? 'family member');
}
