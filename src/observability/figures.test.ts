import { describe, expect, it } from 'vitest';
import { coverage, fillDays, flagToDelivered, ingestToFlag, lastDays, percentiles, raisedPerDay, type AlertEpisode, type EpisodeDelivery } from './figures.js';

const NOW = '2026-11-20T12:00:00.000Z';
const episode = (over: Partial<AlertEpisode>): AlertEpisode => ({
  flagId: 'f1', raisedAt: '2026-11-20T10:00:00.000Z', rule: 'bruising-non-mobile-infant', onInfant: true, subjectKey: 's1', ingestedAt: null, ...over,
});
const delivery = (over: Partial<EpisodeDelivery>): EpisodeDelivery => ({
  flagId: 'f1', raisedAt: '2026-11-20T10:00:00.000Z', recipientId: 'hv', deliveredAt: '2026-11-20T10:00:05.000Z', ...over,
});

describe('percentiles', () => {
  it('interpolates between closest ranks like percentile_cont', () => {
    expect(percentiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ count: 10, p50: 5.5, p90: 9.1, p99: 9.91 });
    expect(percentiles([4])).toEqual({ count: 1, p50: 4, p90: 4, p99: 4 });
  });

  it('is empty (nulls) with nothing to measure, and ignores values that are not numbers', () => {
    expect(percentiles([])).toEqual({ count: 0, p50: null, p90: null, p99: null });
    expect(percentiles([Number.NaN, 2]).count).toBe(1);
  });
});

describe('latency', () => {
  it('measures ingest → Flag from the newest evidence message, leaving out alerts raised by the calendar', () => {
    const p = ingestToFlag([
      episode({ ingestedAt: '2026-11-20T09:59:58.000Z' }),
      episode({ flagId: 'f2', ingestedAt: '2026-11-20T09:59:50.000Z' }),
      episode({ flagId: 'f3', rule: 'birth-not-notified', ingestedAt: '2026-10-01T00:00:00.000Z' }),
      episode({ flagId: 'f4', ingestedAt: null }),
    ]);
    expect(p).toEqual({ count: 2, p50: 6, p90: 9.2, p99: 9.92 });
  });

  it('measures Flag → delivered per recipient', () => {
    expect(flagToDelivered([delivery({}), delivery({ recipientId: 'gp', deliveredAt: '2026-11-20T10:00:15.000Z' })]).p50).toBe(10);
  });
});

describe('coverage of flagged births by health visiting within a day', () => {
  const hv = (id: string) => id.startsWith('hv');

  it('counts each infant once, from its first alert, as covered, late or awaiting', () => {
    const episodes = [
      episode({ subjectKey: 'covered', flagId: 'a', raisedAt: '2026-11-18T10:00:00.000Z' }),
      episode({ subjectKey: 'covered', flagId: 'b', raisedAt: '2026-11-19T10:00:00.000Z' }),
      episode({ subjectKey: 'late-delivered', flagId: 'c', raisedAt: '2026-11-17T10:00:00.000Z' }),
      episode({ subjectKey: 'never', flagId: 'd', raisedAt: '2026-11-17T10:00:00.000Z' }),
      episode({ subjectKey: 'fresh', flagId: 'e', raisedAt: '2026-11-20T11:00:00.000Z' }),
      episode({ subjectKey: 'gp-only', flagId: 'f', raisedAt: '2026-11-17T10:00:00.000Z' }),
      episode({ subjectKey: 'mother', flagId: 'g', onInfant: false, raisedAt: '2026-11-17T10:00:00.000Z' }),
    ];
    const deliveries = [
      delivery({ flagId: 'a', raisedAt: '2026-11-18T10:00:00.000Z', deliveredAt: '2026-11-18T10:01:00.000Z' }),
      delivery({ flagId: 'c', raisedAt: '2026-11-17T10:00:00.000Z', deliveredAt: '2026-11-18T10:00:01.000Z' }),
      delivery({ flagId: 'f', raisedAt: '2026-11-17T10:00:00.000Z', recipientId: 'gp', deliveredAt: '2026-11-17T10:00:01.000Z' }),
      delivery({ flagId: 'g', raisedAt: '2026-11-17T10:00:00.000Z', deliveredAt: '2026-11-17T10:00:01.000Z' }),
    ];
    expect(coverage(episodes, deliveries, hv, NOW)).toEqual({ covered: 1, late: 3, awaiting: 1, ratio: 0.25 });
  });

  it('is undecided (null) before any birth is a day old or delivered', () => {
    expect(coverage([episode({})], [], hv, NOW)).toEqual({ covered: 0, late: 0, awaiting: 1, ratio: null });
  });

  it('matches a delivery to its episode, not to an earlier episode of the same Flag', () => {
    const reRaised = episode({ raisedAt: '2026-11-18T10:00:00.000Z' });
    const oldDelivery = delivery({ raisedAt: '2026-11-01T10:00:00.000Z', deliveredAt: '2026-11-01T10:00:01.000Z' });
    expect(coverage([reRaised], [oldDelivery], hv, NOW).late).toBe(1);
  });
});

describe('days', () => {
  it('lists the window oldest first, ending today (UTC)', () => {
    expect(lastDays(3, NOW)).toEqual(['2026-11-18', '2026-11-19', '2026-11-20']);
    expect(fillDays([{ day: '2026-11-19', count: 4 }, { day: '2026-10-01', count: 9 }], 3, NOW).map((d) => d.count)).toEqual([0, 4, 0]);
  });

  it('counts alerts raised per rule and day, every day present', () => {
    const series = raisedPerDay([episode({}), episode({ flagId: 'x' }), episode({ rule: 'was-not-brought', raisedAt: '2026-11-19T23:59:00.000Z' }),
      episode({ rule: 'was-not-brought', raisedAt: '2026-01-01T00:00:00.000Z' })], 2, NOW);
    expect(series).toEqual([
      { day: '2026-11-19', rule: 'bruising-non-mobile-infant', count: 0 },
      { day: '2026-11-20', rule: 'bruising-non-mobile-infant', count: 2 },
      { day: '2026-11-19', rule: 'was-not-brought', count: 1 },
      { day: '2026-11-20', rule: 'was-not-brought', count: 0 },
    ]);
  });
});
