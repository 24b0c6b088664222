import { describe, expect, it } from 'vitest';
import { PictureBuilder } from './picture.fixture.js';
import { unbornBabyProtocolReferral as rule } from './unborn-baby-protocol-referral.js';

const ctx = { now: '2026-08-01T00:00:00Z', settings: { youngMotherUnder: 20 } };
const pregnant = () => new PictureBuilder('mum').pregnancy('2026-11-20');

describe('unborn-baby-protocol-referral', () => {
  it('fires (medium, on the mother) for a partner\'s cannabis use recorded by the GP, with no referral', () => {
    const [f] = rule.evaluate(pregnant().person('dad', 'partner').factor('dad', 'x', { source: 'gp-hl7v2', snomed: '191891003', recorded: '2026-06-01' }).build(), ctx);
    expect(f).toMatchObject({ subject: 'mum', priority: 'medium' });
    expect(f!.detail).toMatch(/cannabis use \(partner\), recorded by general practice on 1 Jun 2026/);
    expect(f!.evidence).toContain('EpisodeOfCare/preg-1');
  });

  it('fires for a mother under 20 at the due date and for a sibling on a child protection plan', () => {
    const young = new PictureBuilder('mum', { birthDate: '2007-01-01' }).pregnancy('2026-11-20');
    expect(rule.evaluate(young.build(), ctx)[0]!.detail).toMatch(/mother will be 19 at the due date \(20 Nov 2026\)/);
    const sibling = pregnant().person('sib', 'child', { birthDate: '2021-04-04' }).plan('sib', 'cp-plan', '2026-02-01');
    expect(rule.evaluate(sibling.build(), ctx)[0]!.detail).toMatch(/a sibling is on a child protection plan since 1 Feb 2026/);
  });

  it('is silent once the referral is recorded, for past factors, and outside pregnancy', () => {
    expect(rule.evaluate(pregnant().factor('mum', 'mental-health').referral('mum', 'unborn-baby-protocol', '2026-06-20').build(), ctx)).toEqual([]);
    expect(rule.evaluate(pregnant().factor('mum', 'mental-health', { status: 'inactive' }).build(), ctx)).toEqual([]);
    expect(rule.evaluate(new PictureBuilder('mum').factor('mum', 'mental-health').build(), ctx)).toEqual([]);
    // A referral of another kind does not count.
    expect(rule.evaluate(pregnant().factor('mum', 'mental-health').referral('mum', 'early-help', '2026-06-20').build(), ctx)).toHaveLength(1);
  });
});
