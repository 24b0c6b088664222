import { describe, expect, it } from 'vitest';
import { multipleRiskFactors as rule } from './multiple-risk-factors.js';
import { PictureBuilder } from './picture.fixture.js';

const ctx = { now: '2026-12-01T00:00:00Z', settings: { minFactors: 2, highAt: 3 } };
const family = () => new PictureBuilder('mum').baby('b1', '2026-11-01T08:00:00Z').person('dad', 'partner');

describe('multiple-risk-factors', () => {
  it('fires medium for two of the five across mother and partner, high for three, saying they are not predictors', () => {
    const two = rule.evaluate(family().factor('mum', 'mental-health').factor('dad', 'alcohol-misuse', { source: 'gp-hl7v2' }).build(), ctx);
    expect(two).toHaveLength(1);
    expect(two[0]).toMatchObject({ subject: 'b1', priority: 'medium' });
    expect(two[0]!.detail).toMatch(/These factors are not predictors: they raise awareness of risk\.$/);
    const three = rule.evaluate(family().factor('mum', 'mental-health').factor('dad', 'alcohol-misuse').factor('mum', 'housing-issues').build(), ctx);
    expect(three[0]!.priority).toBe('high');
  });

  it('counts a factor once however many records it has, and ignores factors outside the five or no longer current', () => {
    expect(rule.evaluate(family().factor('mum', 'cannabis-use').factor('dad', 'substance-misuse').build(), ctx)).toEqual([]);
    expect(rule.evaluate(family().factor('mum', 'mental-health').factor('mum', 'care-leaver').build(), ctx)).toEqual([]);
    expect(rule.evaluate(family().factor('mum', 'mental-health').factor('dad', 'domestic-abuse', { status: 'inactive' }).build(), ctx)).toEqual([]);
  });

  it('speaks about the mother before birth', () => {
    const picture = new PictureBuilder('mum').pregnancy('2027-01-10').factor('mum', 'mental-health').factor('mum', 'domestic-abuse').build();
    expect(rule.evaluate(picture, ctx)[0]!.subject).toBe('mum');
  });
});
