import type { MaternityRecord } from '../../mappings/maternity/record.js';
import type { SocialCareEvent } from '../../mappings/socialcare/record.js';
import { nhsNumbers } from '../support/nhs.js';
import { adult, givenName, type Person } from './people.js';

/** One message as a source sends it, and which NHS number a recipient's view of it will carry. */
export interface BenchMessage {
  source: 'maternity' | 'gp-hl7v2' | 'socialcare';
  contentType: string;
  body: Buffer;
  /**
   * The new alert's view: the infant's NHS number it carries and the recipients it is routed
   * to. Undefined for a message that raises no alert (most messages in real traffic).
   */
  view: { nhs: string; recipients: readonly string[] } | undefined;
}

/** A maternity family is routed by its postcode (health visiting) and practice (GP); social care gives no practice. */
const BOTH = ['hv', 'gp'] as const;
const HV_ONLY = ['hv'] as const;

/** Every generated family lives in SO16 and is registered at this practice, so its view is routed to both configured recipients. */
export const POSTCODE_PREFIX = 'SO16';
export const PRACTICE = 'J82001';

const DAY = 86_400_000;

/**
 * The mix a partnership's engine sees. Of every ten messages: five maternity records
 * (≈3 KB, the CONTRACTS.md shape: a new family whose baby, 10 to 59 days old, has a bruise — a new alert),
 * three HL7 v2 messages from the GP (two ADT^A04 visits of the previous family's father
 * with a routine code, so that family is re-assessed with nothing new to say; one ADT^A28
 * registering an adult unknown to any family), two social care events (a CP plan starting
 * for a 3-week-old whose mother is named: a new family, a new alert). So every alert is new
 * and its view can be matched by NHS number to the one message that caused it, while most
 * GP traffic, as in life, changes no alert. Dates are relative to `now` so the rules see
 * infants at any run date. NHS numbers come from the never-issued 999 range, from
 * `nhsOffset` on.
 */
export function workload(count: number, nhsOffset = 0, now = Date.now()): BenchMessage[] {
  const nhs = nhsNumbers(nhsOffset, count * 3);
  return Array.from({ length: count }, (_, i) => {
    const [a, b, c] = [nhs[3 * i]!, nhs[3 * i + 1]!, nhs[3 * i + 2]!];
    const id = `${nhsOffset}-${i}`;
    switch (i % 10) {
      case 0: case 2: case 4: case 6: case 8: return maternityMessage(id, { mother: a, partner: b, baby: c }, now);
      case 1: case 5: return hl7Visit(id, nhs[3 * (i - 1) + 1]!, now);
      case 3: return hl7Registration(id, a, now);
      default: return socialcare(id, { child: c, mother: a }, now);
    }
  });
}

/** A maternity record (≈3 KB) of a new family whose baby (10 to 59 days old) has a bruise; also the bulk backfill's record. */
export function maternityMessage(id: string, nhs: { mother: string; partner: string; baby: string }, now: number): BenchMessage {
  // Babies 10 to 59 days old, so a region's births spread over dates as they do in life
  // (all born the same day made every identity search block on one crowded birth date).
  const born = new Date(now - (10 + (Number(nhs.baby) % 50)) * DAY);
  const seen = new Date(now - 1 * DAY).toISOString();
  const day = (offset: number) => new Date(now + offset * DAY).toISOString().slice(0, 10);
  const mum = adult(Number(nhs.mother), 'female', 18, 42);
  const dad = adult(Number(nhs.partner), 'male', 18, 48);
  const record: MaternityRecord = {
    recordType: 'maternity-record', recordId: `BENCH-PREG-${id}`, version: 1, updatedAt: seen,
    organisation: { odsCode: 'RHM', name: 'University Hospital Southampton' },
    mother: { localId: `BM-${id}`, nhsNumber: nhs.mother, name: { family: mum.family, given: [mum.given] }, birthDate: mum.birthDate,
      address: { line: ['1 Test Street'], city: 'Southampton', postcode: mum.postcode }, gpPractice: { odsCode: PRACTICE }, ethnicCategory: 'A' },
    partner: { known: true, localId: `BP-${id}`, nhsNumber: nhs.partner, name: { family: dad.family, given: [dad.given] }, birthDate: dad.birthDate,
      relationshipToBaby: 'father', livesWithMother: true },
    householdMembers: [{ localId: `BH-${id}`, name: { family: mum.family, given: [givenName(Number(nhs.baby) + 1, 'male')] },
      birthDate: day(-700 - (Number(nhs.baby) % 300)), relationshipToMother: 'child', identified: true }],
    pregnancy: { edd: new Date(born.getTime() + 2 * DAY).toISOString().slice(0, 10), bookingDate: day(-230), gestationAtBookingWeeks: 10, fetusCount: 1, previousLiveBirths: 1 },
    socialFactors: [{ factor: 'mental-health', subject: 'mother', status: 'current', recordedAt: day(-230),
      code: { system: 'http://snomed.info/sct', code: '35489007' }, note: 'Synthetic note of realistic length for the benchmark' }],
    contacts: [
      { contactId: 'C1', type: 'antenatal', date: `${day(-160)}T09:00:00Z`, subject: 'mother', attended: false, notAttendedReason: 'did-not-attend' },
      { contactId: 'C2', type: 'postnatal', date: seen, subject: 'baby:B1', attended: true, present: ['mother', 'partner'],
        domesticAbuseEnquiry: 'not-asked-partner-present', safeSleepDiscussed: true, iconDiscussed: false,
        findings: [{ subject: 'baby:B1', kind: 'bruise', bodySite: 'left cheek', description: '2 cm blue-grey mark' }],
        narrative: 'Baby settled. Mark on left cheek, synthetic narrative of realistic length.' },
    ],
    babies: [{ localId: 'B1', nhsNumber: nhs.baby, birthDate: born.toISOString(), sex: 'female', gestationWeeks: 39, birthWeightGrams: 3300, birthOrder: 1,
      nipe: { date: new Date(born.getTime() + 12 * 3_600_000).toISOString(), skinFindings: [{ kind: 'birthmark', bodySite: 'sacrum', description: 'Mongolian blue spot' }] } }],
    referrals: [{ type: 'unborn-baby-protocol', date: day(-220), subject: 'mother', to: 'childrens-social-care' }],
  };
  return { source: 'maternity', contentType: 'application/json', body: Buffer.from(JSON.stringify(record, null, 2)), view: { nhs: nhs.baby, recipients: BOTH } };
}

/** ADT^A04 (v2.4, as GP systems send): the father seen in surgery for a routine asthma review. */
function hl7Visit(id: string, nhs: string, now: number): BenchMessage {
  const at = er7Time(now - DAY);
  const p = adult(Number(nhs), 'male', 18, 48);
  const text = [
    `MSH|^~\\&|EMIS|${PRACTICE}|CRADLE|CRADLE|${at}||ADT^A04^ADT_A01|BV-${id}|P|2.4`,
    `EVN|A04|${at}`,
    pid(id, nhs, p, 'M'),
    `PD1|||TEST PRACTICE^^${PRACTICE}`,
    `PV1|1|O|||||||||||||||||V-${id}^^^${PRACTICE}^VN`,
    `DG1|1||195967001^Asthma^SCT||${at}|W`,
    `OBX|1|ST|394700004^Asthma annual review^SCT||reviewed in surgery||||||F|||${at}`,
  ].join('\r') + '\r';
  return { source: 'gp-hl7v2', contentType: 'x-application/hl7-v2+er7', body: Buffer.from(text), view: undefined };
}

/** ADT^A28: an adult registering at the practice. Changes demographics only; no alert, no view. */
function hl7Registration(id: string, nhs: string, now: number): BenchMessage {
  const at = er7Time(now - DAY);
  const p = adult(Number(nhs), 'female', 18, 80);
  const text = [
    `MSH|^~\\&|EMIS|${PRACTICE}|CRADLE|CRADLE|${at}||ADT^A28^ADT_A05|BR-${id}|P|2.4`,
    `EVN|A28|${at}`,
    pid(id, nhs, p, 'F'),
    `PD1|||TEST PRACTICE^^${PRACTICE}`,
    'PV1|1|N',
  ].join('\r') + '\r';
  return { source: 'gp-hl7v2', contentType: 'x-application/hl7-v2+er7', body: Buffer.from(text), view: undefined };
}

/** A child protection plan starting for a 3-week-old (one facet: one stored message per event). */
function socialcare(id: string, nhs: { child: string; mother: string }, now: number): BenchMessage {
  const mum = adult(Number(nhs.mother), 'female', 18, 42);
  const event: SocialCareEvent = {
    recordType: 'socialcare-event', eventId: `BENCH-EV-${id}`, occurredAt: new Date(now - DAY).toISOString(), event: 'cp-plan-start',
    localAuthority: { code: 'E10000014', name: 'Hampshire County Council', phone: '0300 555 1384', emergencyDutyPhone: '0300 555 1373' },
    child: { laChildId: `BENCH-C-${id}`, nhsNumber: nhs.child, name: { family: mum.family, given: [givenName(Number(nhs.child), 'female')] },
      birthDate: new Date(now - 21 * DAY).toISOString().slice(0, 10), motherNhsNumber: nhs.mother, sex: 'female',
      address: { line: ['1 Test Street'], city: 'Southampton', postcode: mum.postcode } },
    details: { startDate: new Date(now - DAY).toISOString().slice(0, 10), categoryOfAbuse: 'NEG' },
  };
  return { source: 'socialcare', contentType: 'application/json', body: Buffer.from(JSON.stringify(event, null, 2)), view: { nhs: nhs.child, recipients: HV_ONLY } };
}

function pid(id: string, nhs: string, p: Person, sex: 'F' | 'M'): string {
  return `PID|1||GP-${id}^^^${PRACTICE}^PI~${nhs}^^^NHS^NH||${p.family.toUpperCase()}^${p.given.toUpperCase()}^^^^^L||${p.birthDate.replace(/-/g, '')}|${sex}`
    + `|||1 Test Street^^SOUTHAMPTON^HAMPSHIRE^${p.postcode}^GBR^H`;
}

/** HL7 DTM to the second, in UTC (the parser reads times without an offset as UK time; the day is what matters). */
function er7Time(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
