import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaternityRecord } from '../mappings/maternity/record.js';
import type { Bundle, DetectedIssue, Flag } from '../src/fhir/types.js';
import { startHarness, type Harness } from './support/harness.js';
import { adtVisit, ER7, siu } from './support/hl7.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM } from './support/records.js';

/**
 * The rule catalogue on real families, through the real pipeline (PostgreSQL + Redis), each
 * built from the sources the rule joins: maternity JSON, GP HL7 v2, social care events.
 * Every rule has a family that fires it and a near-miss that must stay silent.
 */
let n = 200;
const nhs = () => testNhsNumber(n++);
const LA = { code: 'E10000014', name: 'Hampshire County Council', phone: '0300 555 1384', emergencyDutyPhone: '0300 555 1373' };

interface Family { mother: string; baby: string; partner: string; record: MaternityRecord }

function family(o: { born?: string; partner?: MaternityRecord['partner']; extra?: Partial<MaternityRecord> } = {}): Family {
  const mother = nhs();
  const baby = nhs();
  const partner = nhs();
  const id = `SC-${mother}`;
  const record: MaternityRecord = {
    recordType: 'maternity-record', recordId: id, version: 1, updatedAt: '2026-11-15T10:00:00Z',
    organisation: { odsCode: 'RHM', name: 'University Hospital Southampton' },
    mother: { localId: `M-${id}`, nhsNumber: mother, birthDate: '1995-05-05', name: { family: 'Smith', given: ['Jane'] }, address: { postcode: 'SO16 6YD' } },
    partner: o.partner ?? { known: true, localId: `P-${id}`, nhsNumber: partner, name: { family: 'Jones', given: ['Mark'] }, birthDate: '1993-03-03', relationshipToBaby: 'father', livesWithMother: true },
    pregnancy: { edd: '2026-10-20', bookingDate: '2026-03-01' },
    ...(o.born !== null ? { babies: [{ localId: 'B1', nhsNumber: baby, birthDate: o.born ?? '2026-10-15T10:00:00Z', sex: 'female' as const, gestationWeeks: 39 }] } : {}),
    ...o.extra,
  };
  return { mother, baby, partner, record };
}

describe('the safeguarding rule catalogue on multi-source families', () => {
  let h: Harness;
  let control = 0;
  beforeAll(async () => {
    h = await startHarness('scaled');
  });
  afterAll(() => h?.close());

  const post = (source: string, body: unknown) => h.request(`/ingest/${source}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  const hl7 = (text: string) => h.request('/ingest/gp-hl7v2', { method: 'POST', body: text, headers: { 'content-type': ER7 } });
  const gpVisit = (who: string, snomed: string, display: string, at = '20261101100000') =>
    hl7(adtVisit({ controlId: `RS-${control++}`, at, patient: { localId: `EMIS-${who}`, nhs: who, family: 'JONES', given: 'MARK', birthDate: '19930303', sex: 'M' }, visit: `V-${control}`, snomed, display }));
  const socialcare = (event: string, child: Record<string, unknown>, details: Record<string, unknown> = {}, occurredAt = '2026-11-01T10:00:00Z') =>
    post('socialcare', { recordType: 'socialcare-event', eventId: `RS-EV-${control++}`, localAuthority: LA, occurredAt, event, child, details });

  async function flagsOf(nhsNumber: string, code: string): Promise<Flag[]> {
    const b = (await (await h.request(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${nhsNumber}`)}&code=${code}&status=active`)).json()) as Bundle;
    return (b.entry ?? []).map((e) => e.resource as Flag);
  }
  async function issueOf(flag: Flag): Promise<DetectedIssue> {
    const ref = flag.extension!.find((e) => e.valueReference?.reference?.startsWith('DetectedIssue/'))!.valueReference!.reference!;
    return (await (await h.request(`/fhir/${ref}`)).json()) as DetectedIssue;
  }
  const priority = (f: Flag) => f.extension!.find((e) => e.url.endsWith('flag-priority'))!.valueCodeableConcept!.coding![0]!.code;

  it('bruising-non-mobile-infant: a bruise the GP codes on a 6-week-old; silent for an 8-month-old', async () => {
    const young = family({ born: '2026-09-20T10:00:00Z' });
    const older = family({ born: '2026-03-10T10:00:00Z' });
    for (const f of [young, older]) await post('maternity', f.record);
    await h.settle();
    for (const f of [young, older]) await hl7(adtVisit({ controlId: `RS-${control++}`, at: '20261101100000', patient: { localId: `EMIS-${f.baby}`, nhs: f.baby, family: 'SMITH', given: 'BABY', birthDate: '20260920', sex: 'F' }, visit: `V-${control}`, snomed: '125667009', display: 'Contusion' }));
    await h.settle();
    expect((await flagsOf(young.baby, 'bruising-non-mobile-infant')).map(priority)).toEqual(['PH']);
    expect(await flagsOf(older.baby, 'bruising-non-mobile-infant')).toEqual([]);
  });

  it('unborn-baby-protocol-referral: the father\'s cannabis use from his GP in a pregnancy; silent once referred', async () => {
    const pregnant = family({ born: undefined, extra: { babies: [], pregnancy: { edd: '2027-02-01', bookingDate: '2026-08-01' } } });
    const referred = family({ extra: { babies: [], pregnancy: { edd: '2027-02-01', bookingDate: '2026-08-01' }, referrals: [{ type: 'unborn-baby-protocol', date: '2026-09-01', subject: 'mother' }] } });
    for (const f of [pregnant, referred]) await post('maternity', f.record);
    await h.settle();
    for (const f of [pregnant, referred]) await gpVisit(f.partner, '191891003', 'Nondependent cannabis abuse');
    await h.settle();
    const [flag] = await flagsOf(pregnant.mother, 'unborn-baby-protocol-referral');
    expect((await issueOf(flag!)).detail).toMatch(/cannabis use \(partner\), recorded by general practice \(J82001\) on 1 Nov 2026. No referral/);
    expect(await flagsOf(referred.mother, 'unborn-baby-protocol-referral')).toEqual([]);
  });

  it('multiple-risk-factors: maternity\'s mental health and the GP\'s record of prison; silent with one factor', async () => {
    const two = family({ extra: { socialFactors: [{ factor: 'mental-health', subject: 'mother', status: 'current', recordedAt: '2026-03-01' }] } });
    const one = family({ extra: { socialFactors: [{ factor: 'mental-health', subject: 'mother', status: 'current', recordedAt: '2026-03-01' }] } });
    for (const f of [two, one]) await post('maternity', f.record);
    await h.settle();
    await gpVisit(two.partner, '105568001', 'In prison');
    await h.settle();
    expect((await flagsOf(two.baby, 'multiple-risk-factors')).map(priority)).toEqual(['PM']);
    expect(await flagsOf(one.baby, 'multiple-risk-factors')).toEqual([]);
  });

  it('partner-risk-history: a conviction only the GP knew; silent when maternity alone recorded it', async () => {
    const gp = family();
    const maternityOnly = family({ extra: { socialFactors: [{ factor: 'previous-convictions', subject: 'partner', status: 'current' }] } });
    for (const f of [gp, maternityOnly]) await post('maternity', f.record);
    await h.settle();
    await gpVisit(gp.partner, '105568001', 'In prison');
    await h.settle();
    const [flag] = await flagsOf(gp.baby, 'partner-risk-history');
    expect(priority(flag!)).toBe('PH');
    expect((await issueOf(flag!)).detail).toMatch(/previous convictions \(partner\), recorded by general practice \(J82001\) on 1 Nov 2026.$/);
    expect(await flagsOf(maternityOnly.baby, 'partner-risk-history')).toEqual([]);
  });

  it('was-not-brought: two GP no-shows for the baby within 90 days; silent for one', async () => {
    const twice = family();
    const once = family();
    for (const f of [twice, once]) await post('maternity', f.record);
    await h.settle();
    const s26 = (f: Family, appt: string, start: string) => hl7(siu('S26', { controlId: `RS-${control++}`, at: start, appointmentId: appt, start, patient: { localId: `EMIS-${f.baby}`, nhs: f.baby, family: 'SMITH', given: 'BABY', birthDate: '20261015', sex: 'F' } }));
    await s26(twice, `A-${twice.baby}-1`, '20261101090000');
    await s26(twice, `A-${twice.baby}-2`, '20261115090000');
    await s26(once, `A-${once.baby}-1`, '20261101090000');
    await h.settle();
    expect((await flagsOf(twice.baby, 'was-not-brought')).map(priority)).toEqual(['PM']);
    expect(await flagsOf(once.baby, 'was-not-brought')).toEqual([]);
  });

  it('child-protection-plan: a sibling\'s plan from social care with the LA\'s numbers; silent once it ended', async () => {
    const open = family();
    const ended = family();
    for (const f of [open, ended]) await post('maternity', f.record);
    await h.settle();
    const sibling = (f: Family) => ({ laChildId: `HCC-S-${f.mother}`, name: { family: 'Smith', given: ['Amy'] }, birthDate: '2023-02-02', motherNhsNumber: f.mother });
    await socialcare('cp-plan-start', sibling(open), { categoryOfAbuse: 'NEG' }, '2026-07-01T10:00:00Z');
    await socialcare('cp-plan-start', sibling(ended), { categoryOfAbuse: 'NEG' }, '2026-01-01T10:00:00Z');
    await socialcare('cp-plan-end', sibling(ended), { categoryOfAbuse: 'NEG', startDate: '2026-01-01' }, '2026-06-01T10:00:00Z');
    await h.settle();
    const [flag] = await flagsOf(open.baby, 'child-protection-plan');
    expect((await issueOf(flag!)).detail).toMatch(/A sibling \(born 2 Feb 2023\) has an active child protection plan since 1 Jul 2026\. Hampshire County Council: office hours 0300 555 1384, emergency duty 0300 555 1373\./);
    expect(await flagsOf(ended.baby, 'child-protection-plan')).toEqual([]);
  });

  it('ubb-case-closed-early: referred under the protocol, case closed 5 weeks after birth; silent while it stays open', async () => {
    const referral = [{ type: 'unborn-baby-protocol' as const, date: '2026-06-01', subject: 'mother' }];
    const closed = family({ extra: { referrals: referral } });
    const stillOpen = family({ extra: { referrals: referral } });
    for (const f of [closed, stillOpen]) await post('maternity', f.record);
    await h.settle();
    const baby = (f: Family) => ({ laChildId: `HCC-B-${f.baby}`, nhsNumber: f.baby, birthDate: '2026-10-15', motherNhsNumber: f.mother });
    await socialcare('case-open', baby(closed), {}, '2026-10-16T10:00:00Z');
    await socialcare('case-closed', baby(closed), { startDate: '2026-10-16', reasonForClosure: 'RC7' }, '2026-11-20T10:00:00Z');
    await socialcare('case-open', baby(stillOpen), {}, '2026-10-16T10:00:00Z');
    await h.settle();
    expect((await flagsOf(closed.baby, 'ubb-case-closed-early')).map(priority)).toEqual(['PH']);
    expect(await flagsOf(stillOpen.baby, 'ubb-case-closed-early')).toEqual([]);
  });

  it('infant-vulnerability: a premature baby and a parent\'s drug misuse from a sibling\'s social care assessment; silent at term', async () => {
    const premature = family();
    premature.record.babies![0]!.gestationWeeks = 33;
    const term = family();
    for (const f of [premature, term]) await post('maternity', f.record);
    await h.settle();
    for (const f of [premature, term]) {
      await socialcare('assessment-completed', { laChildId: `HCC-S-${f.mother}`, birthDate: '2022-02-02', motherNhsNumber: f.mother }, { assessmentFactors: ['2B'] });
    }
    await h.settle();
    const [flag] = await flagsOf(premature.baby, 'infant-vulnerability');
    expect((await issueOf(flag!)).detail).toMatch(/born at 33 weeks \(premature\).*substance misuse \(parent or carer, from a child's social care assessment/);
    expect(await flagsOf(term.baby, 'infant-vulnerability')).toEqual([]);
  });

  it('unknown-adults, domestic-abuse-enquiry-outstanding, icon-safe-sleep-not-recorded: maternity\'s own records, each with a near-miss', async () => {
    const unknown = family({ partner: { known: false } });
    const contact = (over: Record<string, unknown>) => ({ contactId: `C-${control++}`, type: 'postnatal' as const, date: '2026-10-20T10:00:00Z', subject: 'baby:B1', attended: true, iconDiscussed: true, safeSleepDiscussed: true, ...over });
    const notAsked = family({ extra: { contacts: [contact({ domesticAbuseEnquiry: 'not-asked-partner-present' })] } });
    const askedLater = family({ extra: { contacts: [contact({ domesticAbuseEnquiry: 'not-asked-partner-present' }), contact({ date: '2026-10-28T10:00:00Z', domesticAbuseEnquiry: 'not-disclosed' })] } });
    const noIcon = family({ extra: { contacts: [contact({ iconDiscussed: false })] } });
    for (const f of [unknown, notAsked, askedLater, noIcon]) await post('maternity', f.record);
    await h.settle();
    expect((await flagsOf(unknown.baby, 'unknown-adults')).map(priority)).toEqual(['PM']);
    expect(await flagsOf(notAsked.baby, 'unknown-adults')).toEqual([]);
    expect((await flagsOf(notAsked.baby, 'domestic-abuse-enquiry-outstanding')).map(priority)).toEqual(['PM']);
    expect(await flagsOf(askedLater.baby, 'domestic-abuse-enquiry-outstanding')).toEqual([]);
    expect((await flagsOf(noIcon.baby, 'icon-safe-sleep-not-recorded')).map(priority)).toEqual(['PL']);
    expect(await flagsOf(notAsked.baby, 'icon-safe-sleep-not-recorded')).toEqual([]);
  });

  it('every active Flag\'s evidence resolves to stored resources, and its detail names source, date and finding', async () => {
    const all = (await (await h.request('/fhir/Flag?status=active&_count=500')).json()) as Bundle;
    expect(all.total).toBeGreaterThan(10);
    for (const e of all.entry!) {
      const flag = e.resource as Flag;
      const issue = await issueOf(flag);
      expect(issue.detail, flag.code.coding![0]!.code).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4}|not identified|not yet seen/);
      for (const ref of issue.evidence![0]!.detail!) expect((await h.request(`/fhir/${ref.reference}`)).status, `${flag.code.coding![0]!.code} → ${ref.reference}`).toBe(200);
      expect(issue.reference).toMatch(/^https?:\/\//);
      expect(issue.mitigation![0]!.action!.text!.length).toBeGreaterThan(20);
    }
  });
});
