import { describe, expect, it } from 'vitest';
import { PictureBuilder } from './picture.fixture.js';
import { unknownAdults as rule } from './unknown-adults.js';

const ctx = { now: '2026-12-01T00:00:00Z', settings: {} };
const family = () => new PictureBuilder('mum').baby('b1', '2026-11-01T08:00:00Z');

describe('unknown-adults', () => {
  it('fires when the father or partner, or a household adult, is not identified', () => {
    expect(rule.evaluate(family().unidentified(true).build(), ctx)[0]!.detail).toBe('The father or partner is not identified.');
    expect(rule.evaluate(family().unidentified(false).build(), ctx)[0]!.detail).toBe('An adult living in the household is not identified.');
  });

  it('fires for an adult who joined after the family was known with no contact since, and stops once seen', () => {
    const joined = () => family().contact('b1', 'postnatal', '2026-11-05T10:00:00Z').person('lodger', 'household-adult', {}, '2026-11-20T00:00:00Z', 'maternity|TST|R1');
    expect(rule.evaluate(joined().build(), ctx)[0]!.detail).toMatch(/joined the household on 20 Nov 2026 and no professional has seen the family since/);
    expect(rule.evaluate(joined().contact('b1', 'postnatal', '2026-11-25T10:00:00Z').build(), ctx)).toEqual([]);
  });

  it('is silent for an identified partner known from the start', () => {
    expect(rule.evaluate(family().person('dad', 'partner').build(), ctx)).toEqual([]);
  });
});
