import { describe, expect, it } from 'vitest';
import type { Flag } from '../fhir/types.js';
import { matchesFilters, parseFilterCriteria, type FlagFilter } from './filters.js';

const RULES = 'https://fhir.cradle.org.uk/CodeSystem/safeguarding-rule';
const flag = (over: Partial<Flag> = {}): Flag => ({
  resourceType: 'Flag', id: 'f1', status: 'active', subject: { reference: 'Patient/baby-1' },
  code: { coding: [{ system: RULES, code: 'bruising-non-mobile-infant' }] }, ...over,
});
const filters = (value: string): FlagFilter[] => {
  const parsed = parseFilterCriteria(value);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.filters;
};

describe('filter criteria on the safeguarding-flag topic', () => {
  it('reads patient, code and status, with commas for any of several', () => {
    expect(filters('Flag?patient=Patient/a,b&code=x&status=inactive')).toEqual([
      { param: 'patient', patients: ['a', 'b'] },
      { param: 'code', tokens: [{ code: 'x' }] },
      { param: 'status', statuses: ['inactive'] },
    ]);
    expect(filters(`Flag?code=${encodeURIComponent(`${RULES}|bruising-non-mobile-infant`)}`)).toEqual([
      { param: 'code', tokens: [{ system: RULES, code: 'bruising-non-mobile-infant' }] },
    ]);
  });

  it('refuses other resources, unknown parameters, modifiers, bad values and empty criteria', () => {
    for (const value of ['Patient?id=1', 'Flag?colour=red', 'Flag?patient:missing=true', 'Flag?patient=Group/1', 'Flag?status=on', 'Flag?', 'Flag?code=a,,b']) {
      expect(parseFilterCriteria(value), value).toHaveProperty('error');
    }
  });

  it('matches every filter (AND), any value of one filter (OR)', () => {
    expect(matchesFilters(flag(), [])).toBe(true);
    expect(matchesFilters(flag(), filters('Flag?patient=baby-2,baby-1'))).toBe(true);
    expect(matchesFilters(flag(), filters('Flag?patient=baby-2'))).toBe(false);
    expect(matchesFilters(flag(), filters(`Flag?code=${encodeURIComponent(`${RULES}|bruising-non-mobile-infant`)}&status=active`))).toBe(true);
    expect(matchesFilters(flag(), filters('Flag?code=other|bruising-non-mobile-infant'))).toBe(false);
    expect(matchesFilters(flag({ status: 'inactive' }), filters('Flag?patient=baby-1&status=active'))).toBe(false);
  });
});
