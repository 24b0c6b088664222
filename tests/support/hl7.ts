import type { Harness } from './harness.js';

/** HL7 v2 test messages (UK GP style, v2.4/2.5), built field by field so each test states only what it is about. */
export interface Hl7Person {
  localId: string;
  nhs?: string;
  family?: string;
  given?: string;
  birthDate?: string;
  sex?: string;
  postcode?: string;
}

const FACILITY = 'J82001';

function msh(type: string, controlId: string, at: string, version = '2.4'): string {
  return `MSH|^~\\&|EMIS|${FACILITY}|CRADLE|CRADLE|${at}||${type}|${controlId}|P|${version}`;
}

function pid(p: Hl7Person): string {
  const ids = [`${p.localId}^^^${FACILITY}^PI`, ...(p.nhs ? [`${p.nhs}^^^NHS^NH`] : [])].join('~');
  const address = p.postcode ? `1 Test Street^^SOUTHAMPTON^HAMPSHIRE^${p.postcode}^GBR^H` : '';
  return `PID|1||${ids}||${p.family ?? 'TEST'}^${p.given ?? 'BABY'}^^^^^L||${p.birthDate ?? '20261118'}|${p.sex ?? 'F'}|||${address}`;
}

function nk1(set: number, relationship: string, p: Hl7Person): string {
  const fields = Array.from({ length: 34 }, () => '');
  fields[0] = 'NK1';
  fields[1] = String(set);
  fields[2] = `${p.family ?? 'TEST'}^${p.given ?? 'PARENT'}`;
  fields[3] = `${relationship}^^HL70063`;
  fields[16] = p.birthDate ?? '';
  fields[33] = [`${p.localId}^^^${FACILITY}^PI`, ...(p.nhs ? [`${p.nhs}^^^NHS^NH`] : [])].join('~');
  return fields.join('|');
}

/** ADT^A28 (add person) or A31 (update person): demographics, registered practice, next of kin. */
export function adtPerson(event: 'A28' | 'A31', opts: { controlId: string; at: string; patient: Hl7Person; practice?: string; kin?: Array<[string, Hl7Person]> }): string {
  return [
    msh(`ADT^${event}^ADT_A05`, opts.controlId, opts.at),
    `EVN|${event}|${opts.at}`,
    pid(opts.patient),
    ...(opts.practice ? [`PD1|||TEST PRACTICE^^${opts.practice}`] : []),
    ...(opts.kin ?? []).map(([rel, p], i) => nk1(i + 1, rel, p)),
    'PV1|1|N',
  ].join('\r') + '\r';
}

/** ADT^A04 (register a visit) with a coded diagnosis and observation (an injury seen in surgery). */
export function adtVisit(opts: { controlId: string; at: string; patient: Hl7Person; visit: string; snomed: string; display: string; site?: string }): string {
  return [
    msh('ADT^A04^ADT_A01', opts.controlId, opts.at, '2.7'),
    `EVN|A04|${opts.at}`,
    pid(opts.patient),
    `PV1|1|O|||||||||||||||||${opts.visit}^^^${FACILITY}^VN`,
    `DG1|1||${opts.snomed}^${opts.display}^SCT||${opts.at}|W`,
    `OBX|1|ST|${opts.snomed}^${opts.display}^SCT||seen in surgery||||||F|||${opts.at}||||||^${opts.site ?? 'left cheek'}`,
  ].join('\r') + '\r';
}

/** SIU^S12 (booked) or S26 (no-show) for one appointment. */
export function siu(event: 'S12' | 'S26', opts: { controlId: string; at: string; appointmentId: string; start: string; patient: Hl7Person }): string {
  return [
    msh(`SIU^${event}^SIU_S12`, opts.controlId, opts.at, '2.5'),
    `SCH||${opts.appointmentId}^${FACILITY}|||||CHECK^Baby check^L|Normal^Routine^HL70277|20|min`,
    `TQ1|||||||${opts.start}`,
    pid(opts.patient),
  ].join('\r') + '\r';
}

export const ER7 = 'x-application/hl7-v2+er7';

/** POSTs ER7 to /ingest/gp-hl7v2, asking for an HL7 ACK unless `accept` says otherwise. */
export function postHl7(h: Harness, text: string | Buffer, accept = ER7): Promise<Response> {
  return h.request('/ingest/gp-hl7v2', { method: 'POST', headers: { 'content-type': ER7, accept }, body: text });
}

/** MSA-1 and MSA-2 of each ACK in an ER7 answer. */
export function msaOf(ackText: string): Array<{ code: string; controlId: string }> {
  return ackText.split('\r').filter((s) => s.startsWith('MSA|')).map((s) => {
    const f = s.split('|');
    return { code: f[1] ?? '', controlId: f[2] ?? '' };
  });
}
