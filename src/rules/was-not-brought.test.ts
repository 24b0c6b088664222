import { describe, expect, it } from 'vitest';
import { PictureBuilder } from './picture.fixture.js';
import { wasNotBrought as rule } from './was-not-brought.js';

const ctx = { now: '2027-03-01T00:00:00Z', settings: { minMissed: 2, windowDays: 90 } };
const baby = () => new PictureBuilder('mum').baby('b1', '2026-11-01T08:00:00Z');

describe('was-not-brought', () => {
  it('fires for two missed appointments for the baby within 90 days, from any source', () => {
    const [f] = rule.evaluate(baby().missed('b1', 'postnatal', '2026-11-20T10:00:00Z').missed('b1', 'immunisation', '2027-01-10T10:00:00Z', 'gp-hl7v2').build('2027-03-01T00:00:00Z'), ctx);
    expect(f).toMatchObject({ subject: 'b1', priority: 'medium' });
    expect(f!.detail).toMatch(/not brought to 2 appointments within 90 days/);
  });

  it('fires for two missed antenatal appointments, before and after birth', () => {
    const before = new PictureBuilder('mum').pregnancy('2026-11-20').missed('mum', 'antenatal', '2026-06-12T09:00:00Z').missed('mum', 'booking', '2026-05-02T09:00:00Z');
    expect(rule.evaluate(before.build('2026-08-01T00:00:00Z'), { ...ctx, now: '2026-08-01T00:00:00Z' })[0]!.subject).toBe('mum');
    const after = baby().missed('mum', 'antenatal', '2026-06-12T09:00:00Z').missed('mum', 'antenatal', '2026-07-12T09:00:00Z');
    expect(rule.evaluate(after.build(), ctx)[0]!.detail).toMatch(/2 antenatal appointments were missed/);
  });

  it('is silent for misses more than 90 days apart, and for one miss', () => {
    expect(rule.evaluate(baby().missed('b1', 'postnatal', '2026-11-05T10:00:00Z').missed('b1', 'immunisation', '2027-02-20T10:00:00Z').build(), ctx)).toEqual([]);
    expect(rule.evaluate(baby().missed('b1', 'postnatal', '2026-11-05T10:00:00Z').build(), ctx)).toEqual([]);
  });
});
