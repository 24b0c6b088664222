import { describe, expect, it } from 'vitest';
import { childProtectionPlan as rule } from './child-protection-plan.js';
import { PictureBuilder } from './picture.fixture.js';

const ctx = { now: '2026-12-01T00:00:00Z', settings: {} };

describe('child-protection-plan', () => {
  it('fires high for a sibling\'s active plan, with the local authority\'s numbers', () => {
    const picture = new PictureBuilder('mum').baby('b1', '2026-11-01T08:00:00Z').person('sib', 'child', { birthDate: '2022-02-02' }).plan('sib', 'cp-plan', '2026-07-01').build();
    const [f] = rule.evaluate(picture, ctx);
    expect(f).toMatchObject({ subject: 'b1', priority: 'high' });
    expect(f!.detail).toBe('A sibling (born 2 Feb 2022) has an active child protection plan since 1 Jul 2026. Testshire County Council: office hours 0300 000 0001, emergency duty 0300 000 0002.');
  });

  it('puts an unborn child\'s plan on the mother', () => {
    const picture = new PictureBuilder('mum').pregnancy('2027-01-10').person('unborn', 'child').plan('unborn', 'cp-plan-unborn', '2026-10-01').build();
    expect(rule.evaluate(picture, ctx)[0]).toMatchObject({ subject: 'mum', priority: 'high' });
  });

  it('is silent once the plan has ended, and for a child in need plan', () => {
    const ended = new PictureBuilder('mum').baby('b1', '2026-11-01T08:00:00Z').person('sib', 'child', { birthDate: '2022-02-02' }).plan('sib', 'cp-plan', '2025-07-01', '2026-03-01');
    expect(rule.evaluate(ended.build(), ctx)).toEqual([]);
    const cin = new PictureBuilder('mum').baby('b1', '2026-11-01T08:00:00Z').person('sib', 'child', { birthDate: '2022-02-02' }).plan('sib', 'cin-plan', '2026-07-01');
    expect(rule.evaluate(cin.build(), ctx)).toEqual([]);
  });
});
