import { describe, expect, it } from 'vitest';
import { intlLondonOffset, londonOffset } from './london-offset.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Every instant from `from` to `to` (exclusive) `step` apart where the cache and Intl disagree. */
function disagreements(from: number, to: number, step: number): string[] {
  const out: string[] = [];
  for (let t = from; t < to; t += step) {
    const cached = londonOffset(t);
    const intl = intlLondonOffset(t);
    if (cached !== intl) out.push(`${new Date(t).toISOString()}: cache ${cached}, Intl ${intl}`);
  }
  return out;
}

/** The instants (to the hour) in [from, to) at which Intl's offset changes. */
function changesBetween(from: number, to: number): number[] {
  const out: number[] = [];
  let before = intlLondonOffset(from);
  for (let t = from; t < to; t += HOUR) {
    const now = intlLondonOffset(t);
    if (now !== before) out.push(t);
    before = now;
  }
  return out;
}

describe('the Europe/London offset cache', () => {
  it('agrees with Intl at every hour from 2020 to 2030, and between the hours', () => {
    expect(disagreements(Date.UTC(2020, 0, 1), Date.UTC(2031, 0, 1), HOUR)).toEqual([]);
    expect(disagreements(Date.UTC(2020, 0, 1) + 17 * MINUTE + 3_001, Date.UTC(2031, 0, 1), HOUR)).toEqual([]);
  });

  it('changes at the same millisecond as Intl on every BST transition from 2020 to 2030', () => {
    const changes = changesBetween(Date.UTC(2020, 0, 1), Date.UTC(2031, 0, 1));
    // Two a year: the last Sundays of March and October, at 01:00 UTC.
    expect(changes).toHaveLength(22);
    for (const c of changes) {
      expect(new Date(c).getUTCHours()).toBe(1);
      expect(disagreements(c - 3 * HOUR, c + 3 * HOUR, MINUTE)).toEqual([]);
      for (const t of [c - 1, c, c + 1]) expect(londonOffset(t)).toBe(intlLondonOffset(t));
      expect(londonOffset(c - 1)).not.toBe(londonOffset(c));
    }
  });

  it('follows Intl through older rules: British Standard Time (1968–71), double summer time, and local mean time before December 1847', () => {
    expect(disagreements(Date.UTC(1967, 0, 1), Date.UTC(1972, 0, 1), HOUR)).toEqual([]);
    expect(disagreements(Date.UTC(1941, 0, 1), Date.UTC(1946, 0, 1), HOUR)).toEqual([]);
    // The change from local mean time (GMT-00:01:15, read as -1 minute) came at 00:01:15 UTC, not on the hour.
    const lmtEnd = Date.UTC(1847, 11, 1, 0, 1, 15);
    expect(disagreements(lmtEnd - HOUR, lmtEnd + HOUR, 1_000)).toEqual([]);
    expect([londonOffset(lmtEnd - 1), londonOffset(lmtEnd)]).toEqual([intlLondonOffset(lmtEnd - 1), intlLondonOffset(lmtEnd)]);
    expect(londonOffset(Date.UTC(1800, 5, 1))).toBe(-1);
  });

  it('answers the same whichever span it learns first, far into the future and past', () => {
    const instants = [Date.UTC(9999, 6, 1, 12), Date.UTC(100, 0, 1), Date.UTC(2026, 2, 29, 0, 59, 59, 999), Date.UTC(2026, 2, 29, 1), Date.UTC(1900, 0, 1)];
    for (const t of instants) expect(londonOffset(t)).toBe(intlLondonOffset(t));
  });

  it('leaves what is not a time to Intl, which throws', () => {
    expect(() => londonOffset(Number.NaN)).toThrow(RangeError);
    expect(() => londonOffset(8.64e15 + 1)).toThrow(RangeError);
  });
});
