import { describe, expect, it } from 'vitest';
import { coalesce } from './coalesce.js';

describe('coalesce', () => {
  it('answers each caller with its own output from one call over all of them', async () => {
    const calls: number[][] = [];
    const double = coalesce(async (xs: readonly number[]) => {
      calls.push([...xs]);
      return xs.map((x) => x * 2);
    }, { maxBatch: 10 });
    expect(await Promise.all([1, 2, 3].map(double))).toEqual([2, 4, 6]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('rejects every caller of a call that threw, and goes on with the next', async () => {
    let fail = true;
    const f = coalesce(async (xs: readonly string[]) => {
      if (fail) {
        fail = false;
        throw new Error('down');
      }
      return xs.map((x) => x.toUpperCase());
    }, { maxBatch: 10 });
    const first = await Promise.allSettled(['a', 'b'].map(f));
    expect(first.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await f('c')).toBe('C');
  });
});
