import { describe, expect, it } from 'vitest';
import { deterministicId, deterministicIdsUnder } from './ids.js';

describe('deterministicIdsUnder', () => {
  it('gives the same id as deterministicId with the prefix and parts together', () => {
    const prefixes: Array<Array<string | number>> = [[], [''], ['maternity'], ['maternity', 'RHM', 'RHM-PREG-000123'], ['a|b', 7]];
    const rests: Array<Array<string | number>> = [[], [''], ['contact', 'C2'], ['contact', 'C2', 'finding', 0], ['x|y', '|', 3.5]];
    for (const prefix of prefixes) {
      const under = deterministicIdsUnder(...prefix);
      for (const rest of rests) expect(under(...rest), JSON.stringify([prefix, rest])).toBe(deterministicId(...prefix, ...rest));
    }
  });

  it('still escapes | so that split parts differ from joined ones', () => {
    expect(deterministicIdsUnder('a')('b|c')).not.toBe(deterministicIdsUnder('a')('b', 'c'));
    expect(deterministicIdsUnder('a|b')('c')).not.toBe(deterministicIdsUnder('a', 'b')('c'));
  });
});
