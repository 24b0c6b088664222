import { describe, expect, it } from 'vitest';
import type { Figures } from '../observability/figures.js';
import { dashboardData, freshnessOf, shortDay } from './dashboard-data.js';

const NOW = '2026-11-20T12:00:00.000Z';
const figures: Figures = {
  generatedAt: NOW, windowDays: 2,
  messages: [{ source: 'maternity', status: 'processed', count: 8 }, { source: 'maternity', status: 'rejected', count: 2 }, { source: 'gp-hl7v2', status: 'failed', count: 1 }],
  failures: [{ source: 'maternity', status: 'rejected', code: 'CRADLE_NHS_NUMBER_INVALID', count: 2 }],
  sources: [
    { source: 'gp-hl7v2', lastReceivedAt: '2026-11-10T12:00:00.000Z', perDay: [{ day: '2026-11-19', count: 0 }, { day: '2026-11-20', count: 0 }] },
    { source: 'maternity', lastReceivedAt: '2026-11-20T11:00:00.000Z', perDay: [{ day: '2026-11-19', count: 3 }, { day: '2026-11-20', count: 7 }] },
  ],
  queues: [],
  alertsActive: [{ rule: 'was-not-brought', priority: 'medium', count: 2 }, { rule: 'bruising-non-mobile-infant', priority: 'high', count: 1 }, { rule: 'rule-error', priority: 'high', count: 1 }],
  alertsRaised: [{ day: '2026-11-19', rule: 'was-not-brought', count: 1 }, { day: '2026-11-20', rule: 'was-not-brought', count: 1 }],
  deliveries: [],
  recipients: [{ recipient: 'hv', name: 'HV team', kind: 'health-visiting', pending: 1, delivered: 4, parked: 2, withdrawn: 0, attempts24h: { success: 4, failure: 3 }, lastSuccessAt: NOW }],
  reviewsOpen: 3,
  alertsUnrouted: 2,
  latency: { ingestToFlag: { count: 3, p50: 0.5, p90: 1, p99: 2 }, flagToDelivered: { count: 0, p50: null, p90: null, p99: null } },
  coverage: { covered: 2, late: 1, awaiting: 0, ratio: 0.667 },
};

describe('dashboardData', () => {
  const d = dashboardData(figures);

  it('sums the key figures', () => {
    expect(d.tiles).toEqual({
      activeAlerts: 4, highPriorityAlerts: 2, messagesToday: 7, rejected: 2, failed: 1, parked: 2, reviewsOpen: 3, alertsUnrouted: 2,
      coveragePercent: 66.7, ingestToFlagMedianSeconds: 0.5, flagToDeliveredMedianSeconds: null,
    });
  });

  it('tells a source that has gone quiet from one still sending', () => {
    expect(d.sources.map((s) => [s.source, s.freshness, s.today, s.total, s.rejected, s.failed])).toEqual([
      ['gp-hl7v2', 'silent', 0, 1, 0, 1], ['maternity', 'fresh', 7, 10, 2, 0]]);
    expect(['2026-11-20T00:00:00Z', '2026-11-16T00:00:00Z', '2026-11-01T00:00:00Z', null].map((t) => freshnessOf(t, NOW))).toEqual(['fresh', 'quiet', 'silent', 'never']);
  });

  it('labels charts for people (rule titles) and keys them for machines (rule ids)', () => {
    const active = d.charts.activeAlerts;
    expect(active.keys).toEqual(['bruising-non-mobile-infant', 'rule-error', 'was-not-brought']);
    expect(active.labels).toEqual(['Bruising or injury in a non-mobile infant', 'A rule could not run', 'Missed appointments']);
    expect(active.series.map((s) => [s.key, s.data])).toEqual([['high', [1, 1, 0]], ['medium', [0, 0, 2]], ['low', [0, 0, 0]]]);
    expect(d.charts.alertsOverTime).toEqual({ labels: ['19 Nov', '20 Nov'], keys: ['2026-11-19', '2026-11-20'], series: [{ key: 'was-not-brought', label: 'Missed appointments', data: [1, 1] }] });
    expect(d.charts.volume.series.map((s) => [s.key, s.data])).toEqual([['gp-hl7v2', [0, 0]], ['maternity', [3, 7]]]);
    expect(d.charts.latency.series[1]!.data).toEqual([0, 0, 0]);
    expect(d.charts.coverage.series[0]!.data).toEqual([2, 1, 0]);
    expect(shortDay('2026-11-03')).toBe('3 Nov');
  });
});
