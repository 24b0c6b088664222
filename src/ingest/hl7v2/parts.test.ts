import { describe, expect, it } from 'vitest';
import { countParts, nthPart, partEnds } from './parts.js';

describe('parts of delimited text, as split gives them', () => {
  const texts = ['', '^', '^^', 'a', 'a^', '^a', 'a^b^^c^', '""^x', 'no separator here', '💥^💥^', 'a💥b💥'];
  const separators = ['^', '&', '💥'];
  const positions = [-1, 0, 0.5, 1, 2, 3, 4, 5, 9, Number.NaN, Number.POSITIVE_INFINITY];

  it('finds part n (1-based) as split(separator)[n - 1] ?? \'\'', () => {
    for (const text of texts) for (const separator of separators) for (const n of positions) {
      expect(nthPart(text, separator, n), `${JSON.stringify(text)} ${separator} ${n}`).toBe(text.split(separator)[n - 1] ?? '');
    }
  });

  it('counts parts and finds where each ends as split does', () => {
    for (const text of texts) for (const separator of separators) {
      const parts = text.split(separator);
      expect(countParts(text, separator)).toBe(parts.length);
      const ends = partEnds(text, separator);
      expect(ends).toHaveLength(parts.length);
      expect(ends.map((end, k) => text.slice(k === 0 ? 0 : ends[k - 1]! + separator.length, end))).toEqual(parts);
    }
  });
});
