import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MaternityRecord } from '../../mappings/maternity/record.js';
import { packageRoot } from '../util/package-root.js';
import { dates, demoNhsNumber, gpVisit, maternity, nemsChangeOfAddress, noShow, socialcare, type DemoMessage, type Hl7Person } from './messages.js';

/**
 * The demo's synthetic families, each built so that the sources together raise what one
 * source alone would not — the case-review lesson Cradle exists for. Two waves: the maternity
 * records first (who the families are), then what GP, social care and NHS events add.
 */
export interface DemoLoad {
  waves: DemoMessage[][];
  families: number;
}

interface Family { id: string; mother: string; baby: string; partner: string; sibling: string }

export function demoFamilies(now: string): DemoLoad {
  const d = dates(now);
  let n = 0;
  const family = (id: string): Family => ({ id, mother: demoNhsNumber(n++), baby: demoNhsNumber(n++), partner: demoNhsNumber(n++), sibling: demoNhsNumber(n++) });
  const f = ['bruise', 'unknown', 'enquiry', 'prison', 'dna', 'cpp', 'ubp', 'premature', 'closed'].map(family);
  const [bruise, unknown, enquiry, prison, dna, cpp, ubp, premature, closed] = f as [Family, Family, Family, Family, Family, Family, Family, Family, Family];

  const record = (fam: Family, o: { postcode?: string; born?: number | null; extra?: Partial<MaternityRecord>; partner?: MaternityRecord['partner'] } = {}): MaternityRecord => ({
    recordType: 'maternity-record', recordId: `DEMO-${fam.id}`, version: 1, updatedAt: d.iso(1),
    organisation: { odsCode: 'RHM', name: 'University Hospital Southampton' },
    mother: { localId: `M-${fam.id}`, nhsNumber: fam.mother, birthDate: '1996-04-12', name: { family: 'Demo', given: ['Mother'] },
      address: { postcode: o.postcode ?? 'SO16 6YD' }, gpPractice: { odsCode: 'J82001' } },
    partner: o.partner ?? { known: true, localId: `P-${fam.id}`, nhsNumber: fam.partner, name: { family: 'Demo', given: ['Partner'] }, birthDate: '1994-02-02', relationshipToBaby: 'father', livesWithMother: true },
    pregnancy: { edd: d.day((o.born ?? 40) - 3), bookingDate: d.day(240) },
    ...(o.born === null ? {} : { babies: [{ localId: 'B1', nhsNumber: fam.baby, birthDate: d.iso(o.born ?? 40), sex: 'female' as const, gestationWeeks: 39 }] }),
    ...o.extra,
  });
  const contact = (over: Record<string, unknown>) => ({ contactId: `C-${n++}`, type: 'postnatal' as const, date: d.iso(3), subject: 'baby:B1', attended: true, iconDiscussed: true, safeSleepDiscussed: true, ...over });
  const person = (fam: Family, who: 'baby' | 'partner'): Hl7Person => who === 'baby'
    ? { localId: `EMIS-${fam.baby}`, nhs: fam.baby, family: 'DEMO', given: 'BABY', birthDate: d.day(40).replace(/-/g, ''), sex: 'F' }
    : { localId: `EMIS-${fam.partner}`, nhs: fam.partner, family: 'DEMO', given: 'PARTNER', birthDate: '19940202', sex: 'M' };
  let control = 0;
  const visit = (fam: Family, who: 'baby' | 'partner', snomed: string, display: string, label: string, daysAgo = 5) =>
    gpVisit({ controlId: `DEMO-${control++}`, at: d.hl7(daysAgo), patient: person(fam, who), visit: `V-${fam.id}-${control}`, snomed, display, label });
  const event = (eventId: string, kind: string, child: Record<string, unknown>, details: Record<string, unknown>, daysAgo: number, label: string) =>
    socialcare({ eventId: `DEMO-${eventId}`, event: kind, occurredAt: d.iso(daysAgo), child, details, label });
  const sibling = (fam: Family) => ({ laChildId: `DEMO-S-${fam.id}`, nhsNumber: fam.sibling, birthDate: '2023-02-02', motherNhsNumber: fam.mother });

  const first: DemoMessage[] = [
    maternity(record(bruise, { extra: { contacts: [contact({ findings: [{ subject: 'baby:B1', kind: 'bruise', bodySite: 'left cheek' }] })] } }),
      'maternity: a bruise on the cheek of a 5-week-old seen at a postnatal contact'),
    maternity(record(unknown, { postcode: 'SO15 2AB', partner: { known: false }, extra: { contacts: [contact({ iconDiscussed: false })] } }),
      'maternity: father not identified; ICON not discussed'),
    maternity(record(enquiry, { postcode: 'SO50 4QX', extra: { contacts: [contact({ domesticAbuseEnquiry: 'not-asked-partner-present' })] } }),
      'maternity: domestic abuse enquiry not asked (partner present), Eastleigh'),
    maternity(record(prison, { extra: { socialFactors: [{ factor: 'mental-health', subject: 'mother', status: 'current', recordedAt: d.day(200) }] } }),
      'maternity: mother\'s mental health'),
    maternity(record(dna), 'maternity: a baby born 6 weeks ago'),
    maternity(record(cpp, { postcode: 'SO17 1BJ' }), 'maternity: a baby born 6 weeks ago, older sibling at home'),
    maternity(record(ubp, { born: null, extra: { pregnancy: { edd: d.day(-60), bookingDate: d.day(120) } } }), 'maternity: a pregnancy at 31 weeks'),
    maternity(record(premature, { extra: { babies: [{ localId: 'B1', nhsNumber: premature.baby, birthDate: d.iso(30), sex: 'male', gestationWeeks: 33 }] } }),
      'maternity: a baby born at 33 weeks'),
    maternity(record(closed, { extra: { referrals: [{ type: 'unborn-baby-protocol', date: d.day(120), subject: 'mother' }] } }),
      'maternity: referred under the Unborn Baby Protocol before birth'),
    maternity({ ...record(family('bad')), mother: { ...record(bruise).mother, localId: 'M-bad', nhsNumber: '9990000001' } },
      'maternity: a record with a mistyped NHS number (refused, on purpose)', true),
  ];
  const second: DemoMessage[] = [
    visit(prison, 'partner', '105568001', 'In prison', 'GP (HL7 v2): the father\'s record of imprisonment'),
    noShow({ controlId: `DEMO-${control++}`, at: d.hl7(20), appointmentId: `A-${dna.id}-1`, patient: person(dna, 'baby'), label: 'GP (HL7 v2): baby not brought to the 6-week check' }),
    noShow({ controlId: `DEMO-${control++}`, at: d.hl7(6), appointmentId: `A-${dna.id}-2`, patient: person(dna, 'baby'), label: 'GP (HL7 v2): baby not brought again' }),
    visit(ubp, 'partner', '191891003', 'Nondependent cannabis abuse', 'GP (HL7 v2): the partner\'s cannabis use, in pregnancy'),
    gpVisit({ controlId: `DEMO-${control++}`, at: d.hl7(2), patient: person(bruise, 'baby'), visit: 'V-T', snomed: '125667009', display: 'Contusion',
      label: 'GP (HL7 v2): a training message (refused, on purpose: test data must never raise an alert)', training: true }),
    event('cpp-start', 'cp-plan-start', sibling(cpp), { categoryOfAbuse: 'NEG' }, 60, 'social care: the sibling\'s child protection plan'),
    event('assessment', 'assessment-completed', sibling(premature), { assessmentFactors: ['2B'] }, 15, 'social care: a parent\'s drug misuse, from the sibling\'s assessment'),
    event('case-open', 'case-open', { laChildId: `DEMO-B-${closed.id}`, nhsNumber: closed.baby, birthDate: d.day(40), motherNhsNumber: closed.mother }, {}, 39,
      'social care: the baby\'s case opened at birth'),
    event('case-closed', 'case-closed', { laChildId: `DEMO-B-${closed.id}`, nhsNumber: closed.baby, birthDate: d.day(40), motherNhsNumber: closed.mother },
      { startDate: d.day(39), reasonForClosure: 'RC7' }, 4, 'social care: the case closed 5 weeks after birth'),
    nemsChangeOfAddress({ nhs: bruise.baby, timestamp: d.iso(2), postcode: 'SO16 3AA', previousPostcode: 'SO16 6YD', label: 'NEMS: the bruised baby\'s change of address (same area)' }),
    { source: 'cin-census', contentType: 'application/xml', body: readFileSync(join(packageRoot, 'mappings/cin-census/cases/born-child-cp-plan.input.xml'), 'utf8'),
      label: 'CIN census: a local authority return (one child on a plan)' },
  ];
  return { waves: [first, second], families: f.length };
}
