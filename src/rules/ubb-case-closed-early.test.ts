import { describe, expect, it } from 'vitest';
import { PictureBuilder } from './picture.fixture.js';
import { ubbCaseClosedEarly as rule } from './ubb-case-closed-early.js';

const ctx = { now: '2026-12-20T00:00:00Z', settings: { keepOpenMonths: 3 } };
const referredAndBorn = () => new PictureBuilder('mum').referral('mum', 'unborn-baby-protocol', '2026-06-20').baby('b1', '2026-11-01T08:00:00Z');

describe('ubb-case-closed-early', () => {
  it('fires high when the baby\'s case closes within three months of birth', () => {
    const [f] = rule.evaluate(referredAndBorn().plan('b1', 'cin-episode', '2026-11-02', '2026-12-10').build('2026-12-20T00:00:00Z'), ctx);
    expect(f).toMatchObject({ subject: 'b1', priority: 'high' });
    expect(f!.detail).toMatch(/closed the case on 10 Dec 2026, 39 days after birth/);
  });

  it('is silent when the case stays open, closes after three months, or there was no protocol referral', () => {
    expect(rule.evaluate(referredAndBorn().plan('b1', 'cin-episode', '2026-11-02').build(), ctx)).toEqual([]);
    expect(rule.evaluate(referredAndBorn().plan('b1', 'cin-episode', '2026-11-02', '2027-02-15').build('2027-03-01T00:00:00Z'), { ...ctx, now: '2027-03-01T00:00:00Z' })).toEqual([]);
    const noReferral = new PictureBuilder('mum').referral('mum', 'early-help', '2026-06-20').baby('b1', '2026-11-01T08:00:00Z').plan('b1', 'cin-episode', '2026-11-02', '2026-12-10');
    expect(rule.evaluate(noReferral.build(), ctx)).toEqual([]);
  });
});
