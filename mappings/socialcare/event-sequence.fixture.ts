import type { SocialCareEvent } from './record.js';

const LA = { code: 'E10000014', name: 'Hampshire County Council', phone: '0300 555 1384', emergencyDutyPhone: '0300 555 1373' };

/**
 * A realistic year of one child's social care, as an LA system would emit it: referral,
 * case opened, assessment, a CIN plan stepped up to a CP plan, the household changing
 * (father leaves, a new partner arrives), the CP plan's category revised at its end, a
 * period looked after, and the case closed. Several events share a plan or the household,
 * and two pairs happen at the same instant, so arrival order really matters to a naive
 * store. The child's demographics are the same in every event, as they would be.
 */
export function eventSequence(opts: { childNhs: string; motherNhs: string; fatherNhs: string; partnerNhs: string; laChildId?: string }): SocialCareEvent[] {
  const child = { laChildId: opts.laChildId ?? 'HCC-C-9001', nhsNumber: opts.childNhs, name: { family: 'Smith', given: ['Amy'] },
    birthDate: '2025-08-01', motherNhsNumber: opts.motherNhs, sex: 'female' as const, address: { postcode: 'SO16 6YD' } };
  const father = { nhsNumber: opts.fatherNhs, name: { family: 'Jones', given: ['Mark'] }, birthDate: '1995-02-11', relationshipToChild: 'father' as const };
  const mother = { nhsNumber: opts.motherNhs, relationshipToChild: 'mother' as const };
  const partner = { nhsNumber: opts.partnerNhs, name: { family: 'Brown', given: ['Lee'] }, birthDate: '1990-06-30', relationshipToChild: 'parents-partner' as const };
  const ev = (n: number, occurredAt: string, event: SocialCareEvent['event'], details?: SocialCareEvent['details']): SocialCareEvent =>
    ({ recordType: 'socialcare-event', eventId: `HCC-EV-${String(n).padStart(5, '0')}`, localAuthority: LA, occurredAt, event, child, ...(details ? { details } : {}) });
  return [
    ev(1, '2026-05-20T11:05:00+01:00', 'referral', { referralSource: '3B', primaryNeed: 'N1' }),
    ev(2, '2026-05-20T11:05:00+01:00', 'case-open'),
    ev(3, '2026-06-18T15:00:00Z', 'assessment-completed', { startDate: '2026-05-21', assessmentFactors: ['2B', '3A'] }),
    ev(4, '2026-06-18T15:10:00Z', 'household-updated', { householdMembers: [mother, father] }),
    ev(5, '2026-06-20T09:00:00Z', 'cin-plan-start'),
    ev(6, '2026-07-01T14:00:00Z', 'cp-plan-start', { categoryOfAbuse: 'PHY', householdMembers: [mother, father] }),
    ev(7, '2026-07-01T14:00:00Z', 'cin-plan-end', { startDate: '2026-06-20' }),
    ev(8, '2026-10-03T09:00:00Z', 'household-updated', { householdMembers: [mother, partner] }),
    ev(9, '2027-01-12T16:45:00Z', 'cp-plan-end', { startDate: '2026-07-01', categoryOfAbuse: 'NEG' }),
    ev(10, '2027-01-12T17:00:00Z', 'lac-start'),
    ev(11, '2027-03-02T10:00:00Z', 'lac-end', { startDate: '2027-01-12' }),
    ev(12, '2027-04-01T12:00:00Z', 'case-closed', { startDate: '2026-05-20', reasonForClosure: 'RC7' }),
  ];
}

/** A deterministic shuffle (mulberry32), so a failing order can be reproduced from its seed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
