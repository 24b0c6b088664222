import type { MaternityRecord } from '../../mappings/maternity/record.js';
import { nhsCheckDigit } from '../identity/nhs-number.js';

/**
 * Builders for the demo's synthetic messages, one per source format, in the shapes the
 * contracts publish (CONTRACTS.md, mappings/<source>/contract*). Every NHS number is in the
 * 999 range, which is never issued, so demo data can never name a real child.
 */
export interface DemoMessage {
  source: string;
  contentType: string;
  body: string;
  /** What the message is, for the terminal ("maternity record: bruise at 6 weeks"). */
  label: string;
  /** A message the demo sends knowing it will be refused, to show failures on the dashboard. */
  expectRejected?: boolean;
}

const DAY = 86_400_000;

/** The n-th valid NHS number in the never-issued 999 range. */
export function demoNhsNumber(n: number): string {
  let found = -1;
  for (let i = 0; ; i++) {
    const nine = `999${String(900_000 + i).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check === undefined) continue;
    if (++found === n) return `${nine}${check}`;
  }
}

/** Dates relative to the demo's start, so alerts fire whatever day it runs. */
export function dates(now: string) {
  const at = (days: number) => new Date(Date.parse(now) - days * DAY);
  return {
    iso: (daysAgo: number) => at(daysAgo).toISOString(),
    day: (daysAgo: number) => at(daysAgo).toISOString().slice(0, 10),
    /** HL7 v2 DTM (YYYYMMDDHHMMSS), UK time taken as UTC here. */
    hl7: (daysAgo: number) => at(daysAgo).toISOString().replace(/[-:T]/g, '').slice(0, 14),
  };
}

export function maternity(record: MaternityRecord, label: string, expectRejected = false): DemoMessage {
  return { source: 'maternity', contentType: 'application/json', body: JSON.stringify(record), label, ...(expectRejected ? { expectRejected } : {}) };
}

export interface Hl7Person { localId: string; nhs?: string; family: string; given: string; birthDate: string; sex: 'M' | 'F' }

const PRACTICE = 'J82001';
const msh = (type: string, controlId: string, at: string, version: string, processing = 'P') =>
  `MSH|^~\\&|EMIS|${PRACTICE}|CRADLE|CRADLE|${at}||${type}|${controlId}|${processing}|${version}`;
const pid = (p: Hl7Person) =>
  `PID|1||${[`${p.localId}^^^${PRACTICE}^PI`, ...(p.nhs ? [`${p.nhs}^^^NHS^NH`] : [])].join('~')}||${p.family}^${p.given}^^^^^L||${p.birthDate}|${p.sex}`;

/** ADT^A04: a GP consultation with a coded diagnosis and observation. */
export function gpVisit(o: { controlId: string; at: string; patient: Hl7Person; visit: string; snomed: string; display: string; label: string; training?: boolean }): DemoMessage {
  const body = [
    msh('ADT^A04^ADT_A01', o.controlId, o.at, '2.5', o.training ? 'T' : 'P'),
    `EVN|A04|${o.at}`,
    pid(o.patient),
    `PV1|1|O|||||||||||||||||${o.visit}^^^${PRACTICE}^VN`,
    `DG1|1||${o.snomed}^${o.display}^SCT||${o.at}|W`,
    `OBX|1|ST|${o.snomed}^${o.display}^SCT||seen in surgery||||||F|||${o.at}`,
  ].join('\r') + '\r';
  return { source: 'gp-hl7v2', contentType: 'x-application/hl7-v2+er7', body, label: o.label, ...(o.training ? { expectRejected: true } : {}) };
}

/** SIU^S26: the baby was not brought to an appointment. */
export function noShow(o: { controlId: string; at: string; appointmentId: string; patient: Hl7Person; label: string }): DemoMessage {
  const body = [
    msh('SIU^S26^SIU_S12', o.controlId, o.at, '2.5'),
    `SCH||${o.appointmentId}^${PRACTICE}|||||CHECK^Baby check^L|Normal^Routine^HL70277|20|min`,
    `TQ1|||||||${o.at}`,
    pid(o.patient),
  ].join('\r') + '\r';
  return { source: 'gp-hl7v2', contentType: 'x-application/hl7-v2+er7', body, label: o.label };
}

export const DEMO_LA = { code: 'E10000014', name: 'Hampshire County Council (demo)', phone: '0300 555 0100', emergencyDutyPhone: '0300 555 0199' };

/** One children's social care event (socialcare contract). */
export function socialcare(o: { eventId: string; event: string; occurredAt: string; child: Record<string, unknown>; details?: Record<string, unknown>; label: string }): DemoMessage {
  const body = { recordType: 'socialcare-event', eventId: o.eventId, localAuthority: DEMO_LA, occurredAt: o.occurredAt, event: o.event, child: o.child, details: o.details ?? {} };
  return { source: 'socialcare', contentType: 'application/json', body: JSON.stringify(body), label: o.label };
}

/** A NEMS PDS change-of-address event (FHIR STU3 message Bundle, JSON). */
export function nemsChangeOfAddress(o: { nhs: string; timestamp: string; postcode: string; previousPostcode: string; label: string }): DemoMessage {
  const url = (n: number) => `urn:uuid:dddddddd-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const patient = {
    resourceType: 'Patient', id: 'p', identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: o.nhs }], name: [{ use: 'official', family: 'DEMO', given: ['Baby'] }],
    address: [{ use: 'home', line: ['2 Demo Road'], postalCode: o.postcode, period: { start: o.timestamp.slice(0, 10) } },
      { use: 'old', line: ['1 Demo Road'], postalCode: o.previousPostcode, period: { end: o.timestamp.slice(0, 10) } }],
  };
  const bundle = {
    resourceType: 'Bundle', id: `demo-${o.nhs}-address`, type: 'message', entry: [
      { fullUrl: url(1), resource: { resourceType: 'MessageHeader', id: 'mh', event: { system: 'https://fhir.nhs.uk/STU3/CodeSystem/EventType-1', code: 'pds-change-of-address-1' },
        timestamp: o.timestamp, source: { endpoint: 'urn:nhs:addressing:asid:477121000323' }, responsible: { display: 'NHS DIGITAL' }, focus: { reference: url(2) } } },
      { fullUrl: url(2), resource: { resourceType: 'Communication', id: 'c', status: 'completed', subject: { reference: url(3) } } },
      { fullUrl: url(3), resource: patient },
    ],
  };
  return { source: 'nems', contentType: 'application/fhir+json', body: JSON.stringify(bundle), label: o.label };
}
