import type { Figures, Percentiles, QueueFigures, RecipientHealth } from '../observability/figures.js';
import { RULES } from '../rules/catalogue.js';

/** A chart as Chart.js draws it: labels for people, keys (rule ids, sources…) for machines. */
export interface ChartSpec {
  labels: string[];
  keys: string[];
  series: Array<{ key: string; label: string; data: number[] }>;
}

export type Freshness = 'fresh' | 'quiet' | 'silent' | 'never';

/**
 * What the commissioners' dashboard shows, as `GET /dashboard/data.json` returns it: the
 * figures, shaped for the page. Aggregates only — sources, rules, recipients (organisations),
 * queues, counts, times — and nothing about any person.
 */
export interface DashboardData {
  generatedAt: string;
  windowDays: number;
  tiles: {
    activeAlerts: number;
    highPriorityAlerts: number;
    messagesToday: number;
    rejected: number;
    failed: number;
    parked: number;
    reviewsOpen: number;
    /** Active alerts on families routed to no recipient: raised, but no clinician can see them. */
    alertsUnrouted: number;
    /** Percent, or null before any flagged birth is decided. */
    coveragePercent: number | null;
    ingestToFlagMedianSeconds: number | null;
    flagToDeliveredMedianSeconds: number | null;
  };
  sources: Array<{ source: string; lastReceivedAt: string | null; freshness: Freshness; today: number; total: number; rejected: number; failed: number }>;
  failures: Figures['failures'];
  recipients: RecipientHealth[];
  queues: QueueFigures[];
  latency: { ingestToFlag: Percentiles; flagToDelivered: Percentiles };
  coverage: Figures['coverage'];
  charts: {
    volume: ChartSpec;
    alertsOverTime: ChartSpec;
    activeAlerts: ChartSpec;
    deliveries: ChartSpec;
    latency: ChartSpec;
    coverage: ChartSpec;
  };
}

const EXTRA_TITLES: Record<string, string> = {
  'rule-error': 'A rule could not run',
  'alert-not-seen': 'High-priority alert not seen',
};

/** The rule's title from the catalogue (rule ids stay available as chart keys). */
export function ruleTitle(id: string): string {
  return RULES.find((r) => r.id === id)?.title ?? EXTRA_TITLES[id] ?? id;
}

const DAY_MS = 86_400_000;

export function freshnessOf(lastReceivedAt: string | null, now: string): Freshness {
  if (!lastReceivedAt) return 'never';
  const age = Date.parse(now) - Date.parse(lastReceivedAt);
  return age <= DAY_MS ? 'fresh' : age <= 7 * DAY_MS ? 'quiet' : 'silent';
}

export function dashboardData(f: Figures): DashboardData {
  const count = (source: string, status: string) => f.messages.find((m) => m.source === source && m.status === status)?.count ?? 0;
  const sources = f.sources.map((s) => ({
    source: s.source, lastReceivedAt: s.lastReceivedAt, freshness: freshnessOf(s.lastReceivedAt, f.generatedAt),
    today: s.perDay.at(-1)?.count ?? 0, total: f.messages.filter((m) => m.source === s.source).reduce((n, m) => n + m.count, 0),
    rejected: count(s.source, 'rejected'), failed: count(s.source, 'failed'),
  }));
  const sum = (xs: Array<{ count: number }>) => xs.reduce((n, x) => n + x.count, 0);
  return {
    generatedAt: f.generatedAt,
    windowDays: f.windowDays,
    tiles: {
      activeAlerts: sum(f.alertsActive),
      highPriorityAlerts: sum(f.alertsActive.filter((a) => a.priority === 'high')),
      messagesToday: sources.reduce((n, s) => n + s.today, 0),
      rejected: sum(f.messages.filter((m) => m.status === 'rejected')),
      failed: sum(f.messages.filter((m) => m.status === 'failed')),
      parked: f.recipients.reduce((n, r) => n + r.parked, 0),
      reviewsOpen: f.reviewsOpen,
      alertsUnrouted: f.alertsUnrouted,
      coveragePercent: f.coverage.ratio === null ? null : Math.round(f.coverage.ratio * 1000) / 10,
      ingestToFlagMedianSeconds: f.latency.ingestToFlag.p50,
      flagToDeliveredMedianSeconds: f.latency.flagToDelivered.p50,
    },
    sources,
    failures: f.failures,
    recipients: f.recipients,
    queues: f.queues,
    latency: f.latency,
    coverage: f.coverage,
    charts: {
      volume: volumeChart(f),
      alertsOverTime: alertsOverTimeChart(f),
      activeAlerts: activeAlertsChart(f),
      deliveries: deliveriesChart(f),
      latency: latencyChart(f),
      coverage: {
        labels: ['Within a day', 'Later, or not yet after a day', 'Under a day old'], keys: ['covered', 'late', 'awaiting'],
        series: [{ key: 'births', label: 'Flagged births', data: [f.coverage.covered, f.coverage.late, f.coverage.awaiting] }],
      },
    },
  };
}

function volumeChart(f: Figures): ChartSpec {
  const days = f.sources[0]?.perDay.map((d) => d.day) ?? [];
  return {
    labels: days.map(shortDay), keys: days,
    series: f.sources.map((s) => ({ key: s.source, label: s.source, data: s.perDay.map((d) => d.count) })),
  };
}

function alertsOverTimeChart(f: Figures): ChartSpec {
  const days = [...new Set(f.alertsRaised.map((r) => r.day))].sort();
  const rules = [...new Set(f.alertsRaised.map((r) => r.rule))].sort();
  return {
    labels: days.map(shortDay), keys: days,
    series: rules.map((rule) => ({ key: rule, label: ruleTitle(rule), data: days.map((day) => f.alertsRaised.find((r) => r.rule === rule && r.day === day)?.count ?? 0) })),
  };
}

function activeAlertsChart(f: Figures): ChartSpec {
  const rules = [...new Set(f.alertsActive.map((a) => a.rule))].sort();
  const priorities = ['high', 'medium', 'low', ...new Set(f.alertsActive.map((a) => a.priority).filter((p) => !['high', 'medium', 'low'].includes(p)))];
  return {
    labels: rules.map(ruleTitle), keys: rules,
    series: priorities.map((p) => ({ key: p, label: `${p[0]!.toUpperCase()}${p.slice(1)} priority`, data: rules.map((rule) => f.alertsActive.find((a) => a.rule === rule && a.priority === p)?.count ?? 0) }))
      .filter((s, i) => i < 3 || s.data.some((n) => n > 0)),
  };
}

function deliveriesChart(f: Figures): ChartSpec {
  const statuses = ['delivered', 'pending', 'parked', 'withdrawn'] as const;
  return {
    labels: f.recipients.map((r) => r.name), keys: f.recipients.map((r) => r.recipient),
    series: statuses.map((s) => ({ key: s, label: `${s[0]!.toUpperCase()}${s.slice(1)}`, data: f.recipients.map((r) => r[s]) })),
  };
}

function latencyChart(f: Figures): ChartSpec {
  const row = (p: Percentiles) => [p.p50 ?? 0, p.p90 ?? 0, p.p99 ?? 0];
  return {
    labels: ['Median', '90th percentile', '99th percentile'], keys: ['0.5', '0.9', '0.99'],
    series: [
      { key: 'ingest_to_flag', label: 'Message received → alert raised', data: row(f.latency.ingestToFlag) },
      { key: 'flag_to_delivered', label: 'Alert raised → recipient has it', data: row(f.latency.flagToDelivered) },
    ],
  };
}

/** 2026-11-03 → 3 Nov */
export function shortDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return `${d.getUTCDate()} ${d.toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' })}`;
}
