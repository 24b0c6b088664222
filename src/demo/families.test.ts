import { describe, expect, it } from 'vitest';
import { allSources } from '../../mappings/index.js';
import { CradleError } from '../fhir/outcome.js';
import { validateResources } from '../fhir/validator.js';
import { isValidNhsNumber } from '../identity/nhs-number.js';
import { bundleResources } from '../mapping/bundle.js';
import { demoFamilies } from './families.js';

const NOW = '2026-11-20T12:00:00.000Z';

describe('the demo families', () => {
  const load = demoFamilies(NOW);
  const messages = load.waves.flat();

  it('come from every kind of source, with two refusals on purpose', () => {
    expect(new Set(messages.map((m) => m.source))).toEqual(new Set(['maternity', 'gp-hl7v2', 'socialcare', 'nems', 'cin-census']));
    expect(messages.filter((m) => m.expectRejected)).toHaveLength(2);
    expect(load.families).toBe(9);
  });

  it('pass their source contracts and map to valid FHIR, except the two meant to be refused', () => {
    for (const m of messages) {
      const adapter = allSources().get(m.source)!;
      const body = Buffer.from(m.body, 'utf8');
      const run = () => {
        for (const part of adapter.split ? adapter.split(body, m.contentType) : [body]) {
          const record = adapter.parse(part, m.contentType);
          const resources = bundleResources(adapter.map(record, { messageId: '00000000-0000-4000-8000-000000000000', receivedAt: NOW, source: m.source }));
          expect(validateResources(resources), m.label).toEqual([]);
        }
      };
      if (m.expectRejected) expect(run, m.label).toThrow(CradleError);
      else expect(run, m.label).not.toThrow();
    }
  });

  it('use only never-issued NHS numbers (the 999 range) that pass Modulus 11', () => {
    const numbers = [...new Set(messages.flatMap((m) => m.body.match(/\b\d{10}\b/g) ?? []).filter((n) => n.startsWith('999')))];
    expect(numbers.length).toBeGreaterThan(20);
    const valid = numbers.filter(isValidNhsNumber);
    expect(valid.length).toBe(numbers.length - 1); // the mistyped one
  });

  it('are dated relative to the run, so the same alerts fire whatever the day', () => {
    const later = demoFamilies('2031-03-01T09:00:00.000Z').waves.flat().filter((m) => m.source !== 'cin-census');
    // Every message but the CIN census sample (a fixed, published-style return) is dated within the run's last year.
    expect(later.filter((m) => !/\b20(30|31)-?[01]\d/.test(m.body)).map((m) => m.label)).toEqual([]);
  });
});
