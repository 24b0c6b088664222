import { describe, expect, it } from 'vitest';
import { CradleError } from './outcome.js';
import { parseSearch } from './search-query.js';

const parse = (type: string, q: string) => parseSearch(type, new URLSearchParams(q));
const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as CradleError).issues[0]!.code;
  }
  return 'no error';
};

describe('parseSearch', () => {
  it('parses tokens (system|code, |code, code, system|), references and chains', () => {
    const q = parse('Flag', 'status=active,inactive&code=https://x|r1&identifier=|abc&category=https://x|&patient=p1&patient.identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919');
    expect(q.criteria).toEqual([
      { kind: 'token', param: 'status', values: [{ code: 'active' }, { code: 'inactive' }] },
      { kind: 'token', param: 'code', values: [{ system: 'https://x', code: 'r1' }] },
      { kind: 'token', param: 'identifier', values: [{ system: '', code: 'abc' }] },
      { kind: 'token', param: 'category', values: [{ system: 'https://x' }] },
      { kind: 'reference', param: 'patient', targets: ['Patient/p1'] },
      { kind: 'chain', param: 'patient', targetType: 'Patient', target: { kind: 'token', param: 'identifier', values: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', code: '9434765919' }] } },
    ]);
  });

  it('reads paging, sort and _include, capping _count', () => {
    expect(parse('Flag', '_count=9999&_offset=20&_sort=_lastUpdated&_include=Flag:patient')).toMatchObject({ count: 500, offset: 20, sort: 'asc', include: [{ param: 'patient', targetType: 'Patient' }] });
  });

  it('refuses what it cannot do rather than silently ignoring a filter', () => {
    expect(codeOf(() => parse('Flag', 'colour=red'))).toBe('CRADLE_SEARCH_UNSUPPORTED');
    expect(codeOf(() => parse('Flag', 'status:not=active'))).toBe('CRADLE_SEARCH_UNSUPPORTED');
    expect(codeOf(() => parse('Flag', '_include=Observation:subject'))).toBe('CRADLE_SEARCH_UNSUPPORTED');
    expect(codeOf(() => parse('Flag', 'patient=not a reference'))).toBe('CRADLE_SEARCH_INVALID');
    expect(codeOf(() => parse('Flag', '_count=-1'))).toBe('CRADLE_SEARCH_INVALID');
    expect(codeOf(() => parse('Medication', 'code=x'))).toBe('CRADLE_SEARCH_UNSUPPORTED');
  });

  it('refuses empty values and NUL characters (found by the HTTP fuzzer: they reached SQL as 500s)', () => {
    for (const q of ['identifier=', 'patient=', 'patient.identifier=', '_id=', '_id=,', 'status=,', 'identifier=%00', 'code=a%00b']) {
      expect([q, codeOf(() => parse('Flag', q))]).toEqual([q, 'CRADLE_SEARCH_INVALID']);
    }
  });
});
