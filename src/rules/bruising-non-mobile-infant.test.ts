import { describe, expect, it } from 'vitest';
import { bruisingNonMobileInfant as rule } from './bruising-non-mobile-infant.js';
import { PictureBuilder } from './picture.fixture.js';

const BORN = '2026-05-10T06:00:00Z';
const ctx = { now: '2026-12-01T00:00:00Z', settings: { nonMobileAgeMonths: 6 } };
const evaluate = (b: PictureBuilder) => rule.evaluate(b.build(), ctx);

describe('bruising-non-mobile-infant', () => {
  it('fires high on a bruise seen on a 10-day-old, naming site, source, date and age', () => {
    const [f, ...rest] = evaluate(new PictureBuilder().baby('b1', BORN).finding('b1', 'bruise', '2026-05-20T11:00:00Z', { site: 'left cheek' }));
    expect(rest).toEqual([]);
    expect(f!.priority).toBe('high');
    expect(f!.subject).toBe('b1');
    expect(f!.detail).toBe('Bruise on left cheek recorded at a contact on 20 May 2026 by Test Trust (TST); baby 10 days old; not independently mobile (under 6 months).');
    expect(f!.evidence).toEqual(['Observation/obs-1', 'Patient/b1']);
    expect(f!.summary.length).toBeLessThanOrEqual(140);
  });

  it('counts an injury, and a SNOMED-coded bruise from another source, like a maternity bruise', () => {
    expect(evaluate(new PictureBuilder().baby('b1', BORN).finding('b1', 'injury', '2026-06-01T10:00:00Z'))).toHaveLength(1);
    // 164624008 O/E - bruising, as a GP system would code it.
    expect(evaluate(new PictureBuilder().baby('b1', BORN).finding('b1', 'x', '2026-06-01T10:00:00Z', { snomedOnly: '164624008' }))).toHaveLength(1);
  });

  it('counts an injury a GP sends as a coded Condition (HL7 DG1), dated by its onset', () => {
    const picture = new PictureBuilder().baby('b1', BORN).add({ resourceType: 'Condition', subject: { reference: 'Patient/b1' },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '125667009' }] }, onsetDateTime: '2026-06-02T10:00:00Z', meta: { source: 'https://fhir.cradle.org.uk/source/gp-hl7v2' } });
    const [f] = evaluate(picture);
    expect(f!.priority).toBe('high');
    expect(f!.detail).toMatch(/^Bruise recorded at a contact on 2 Jun 2026 by general practice; baby 23 days old; not independently mobile \(under 6 months\)\.$/);
  });

  it('uses the age when the mark was seen: fires the day before 6 months, not the day after', () => {
    expect(evaluate(new PictureBuilder().baby('b1', BORN).finding('b1', 'bruise', '2026-11-09T10:00:00Z'))).toHaveLength(1);
    expect(evaluate(new PictureBuilder().baby('b1', BORN).finding('b1', 'bruise', '2026-11-11T10:00:00Z'))).toEqual([]);
  });

  it('fires at any age when the baby was recorded as not independently mobile by then', () => {
    const late = '2027-02-01T10:00:00Z';
    expect(evaluate(new PictureBuilder().baby('b1', BORN).mobility('b1', '2027-01-20T10:00:00Z', false).finding('b1', 'bruise', late))[0]!.detail)
      .toMatch(/recorded as not independently mobile/);
    expect(evaluate(new PictureBuilder().baby('b1', BORN).mobility('b1', '2027-01-20T10:00:00Z', true).finding('b1', 'bruise', late))).toEqual([]);
  });

  it('lowers to medium, asking for comparison with NIPE, only when a birthmark was recorded at the same site', () => {
    const base = () => new PictureBuilder().baby('b1', BORN).finding('b1', 'birthmark', '2026-05-10T18:00:00Z', { site: 'Sacrum', nipe: true });
    const same = evaluate(base().finding('b1', 'bruise', '2026-05-25T10:00:00Z', { site: 'sacrum' }))[0]!;
    expect(same.priority).toBe('medium');
    expect(same.action).toMatch(/NIPE/);
    expect(same.evidence).toContain('Observation/obs-1');
    expect(evaluate(base().finding('b1', 'bruise', '2026-05-25T10:00:00Z', { site: 'left ear' }))[0]!.priority).toBe('high');
    // Two marks, one not explained by the birthmark: still high.
    expect(evaluate(base().finding('b1', 'bruise', '2026-05-25T10:00:00Z', { site: 'sacrum' }).finding('b1', 'bruise', '2026-05-25T10:00:00Z', { site: 'left ear' }))[0]!.priority).toBe('high');
    // A birthmark noted outside NIPE does not lower the priority.
    const notNipe = new PictureBuilder().baby('b1', BORN).finding('b1', 'birthmark', '2026-05-12T10:00:00Z', { site: 'sacrum' }).finding('b1', 'bruise', '2026-05-25T10:00:00Z', { site: 'sacrum' });
    expect(evaluate(notNipe)[0]!.priority).toBe('high');
  });

  it('stays silent on near misses: withdrawn findings, marks on the mother, other findings', () => {
    expect(evaluate(new PictureBuilder().baby('b1', BORN).finding('b1', 'bruise', '2026-05-20T11:00:00Z', { status: 'entered-in-error' }))).toEqual([]);
    expect(evaluate(new PictureBuilder().baby('b1', BORN).finding('mother-1', 'bruise', '2026-05-20T11:00:00Z'))).toEqual([]);
    expect(evaluate(new PictureBuilder().baby('b1', BORN).finding('b1', 'other', '2026-05-20T11:00:00Z'))).toEqual([]);
    expect(evaluate(new PictureBuilder().finding('mother-1', 'bruise', '2026-05-20T11:00:00Z'))).toEqual([]);
  });

  it('honours a configured age limit', () => {
    const picture = new PictureBuilder().baby('b1', BORN).finding('b1', 'bruise', '2026-09-20T10:00:00Z').build();
    expect(rule.evaluate(picture, { ...ctx, settings: { nonMobileAgeMonths: 4 } })).toEqual([]);
    expect(rule.evaluate(picture, { ...ctx, settings: { nonMobileAgeMonths: 6 } })).toHaveLength(1);
  });
});
