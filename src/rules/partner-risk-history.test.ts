import { describe, expect, it } from 'vitest';
import { partnerRiskHistory as rule } from './partner-risk-history.js';
import { PictureBuilder } from './picture.fixture.js';

const ctx = { now: '2026-12-01T00:00:00Z', settings: {} };
const family = () => new PictureBuilder('mum').baby('b1', '2026-11-01T08:00:00Z').person('dad', 'partner');

describe('partner-risk-history', () => {
  it('fires high for a partner\'s conviction recorded by the GP (SNOMED "In prison")', () => {
    const [f] = rule.evaluate(family().factor('dad', 'x', { source: 'gp-hl7v2', snomed: '105568001', recorded: '2019-03-03' }).build(), ctx);
    expect(f).toMatchObject({ subject: 'b1', priority: 'high' });
    expect(f!.detail).toBe('Recorded by other agencies about adults around the baby: previous convictions (partner), recorded by general practice on 3 Mar 2019.');
  });

  it('is silent for what maternity already recorded, and for the mother\'s own history', () => {
    expect(rule.evaluate(family().factor('dad', 'previous-convictions', { source: 'maternity' }).build(), ctx)).toEqual([]);
    expect(rule.evaluate(family().factor('mum', 'substance-misuse', { source: 'gp-hl7v2' }).build(), ctx)).toEqual([]);
  });
});
