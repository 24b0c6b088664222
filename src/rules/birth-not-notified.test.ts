import { describe, expect, it } from 'vitest';
import type { Flag } from '../fhir/types.js';
import { birthNotNotified as rule } from './birth-not-notified.js';
import { PictureBuilder } from './picture.fixture.js';

const concern = { resourceType: 'Flag', id: 'f1', status: 'active', code: { coding: [{ code: 'multiple-risk-factors' }] }, subject: { reference: 'Patient/mum' } } as Flag;

describe('birth-not-notified', () => {
  it('fires 15 days after the due date when the pregnancy has an active alert and no birth', () => {
    const picture = new PictureBuilder('mum').pregnancy('2026-11-01').withFlags([concern]).build('2026-11-16T12:00:00Z');
    const [f] = rule.evaluate(picture, { now: '2026-11-16T12:00:00Z', settings: { overdueDays: 14 } });
    expect(f).toMatchObject({ subject: 'mum', priority: 'high' });
    expect(f!.evidence).toContain('Flag/f1');
  });

  it('is silent within 14 days, without alerts, and once the birth is recorded', () => {
    const ctx = (now: string) => ({ now, settings: { overdueDays: 14 } });
    expect(rule.evaluate(new PictureBuilder('mum').pregnancy('2026-11-01').withFlags([concern]).build(), ctx('2026-11-14T12:00:00Z'))).toEqual([]);
    expect(rule.evaluate(new PictureBuilder('mum').pregnancy('2026-11-01').build(), ctx('2026-12-01T00:00:00Z'))).toEqual([]);
    const born = new PictureBuilder('mum').pregnancy('2026-11-01').baby('b1', '2026-10-30T10:00:00Z').withFlags([concern]);
    expect(rule.evaluate(born.build(), ctx('2026-12-01T00:00:00Z'))).toEqual([]);
  });
});
