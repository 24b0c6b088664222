import { Gauge, type Registry } from 'prom-client';
import type { Figures } from './figures.js';
import type { FiguresSource } from './figures-source.js';

type Fill = (set: (labels: Record<string, string>, value: number) => void, figures: Figures) => void;

interface FigureGauge {
  name: string;
  help: string;
  labels: string[];
  fill: Fill;
}

const seconds = (iso: string) => Date.parse(iso) / 1000;

/**
 * The business gauges, read from the store at scrape time through the (cached) figures
 * snapshot: the same numbers the dashboard shows, from the same snapshot.
 */
export const FIGURE_GAUGES: readonly FigureGauge[] = [
  { name: 'cradle_messages', help: 'Inbound messages in the store, by source and status (received = waiting to be mapped).', labels: ['source', 'status'],
    fill: (set, f) => f.messages.forEach((m) => set({ source: m.source, status: m.status }, m.count)) },
  { name: 'cradle_message_failures', help: 'Rejected and failed messages in the store, by source, status and issue code (a message counts once per code).', labels: ['source', 'status', 'code'],
    fill: (set, f) => f.failures.forEach((m) => set({ source: m.source, status: m.status, code: m.code }, m.count)) },
  { name: 'cradle_source_last_message_timestamp_seconds', help: 'When the newest message from each source was received (Unix time).', labels: ['source'],
    fill: (set, f) => f.sources.forEach((s) => s.lastReceivedAt && set({ source: s.source }, seconds(s.lastReceivedAt))) },
  { name: 'cradle_source_messages_today', help: 'Messages received from each source since midnight UTC.', labels: ['source'],
    fill: (set, f) => f.sources.forEach((s) => set({ source: s.source }, s.perDay.at(-1)?.count ?? 0)) },
  { name: 'cradle_queue_jobs', help: 'Jobs in each queue by state (waiting, active, delayed, failed), as the queue reports them.', labels: ['queue', 'state'],
    fill: (set, f) => f.queues.forEach((q) => (['waiting', 'active', 'delayed', 'failed'] as const).forEach((state) => set({ queue: q.queue, state }, q[state]))) },
  { name: 'cradle_queue_outstanding', help: 'Work recorded in the store and not done yet: messages awaiting map, outbox items for assess and deliver.', labels: ['queue'],
    fill: (set, f) => f.queues.forEach((q) => set({ queue: q.queue }, q.outstanding)) },
  { name: 'cradle_queue_oldest_age_seconds', help: 'Age of the oldest outstanding work of each queue (0 when there is none).', labels: ['queue'],
    fill: (set, f) => f.queues.forEach((q) => set({ queue: q.queue }, q.oldestAgeSeconds ?? 0)) },
  { name: 'cradle_alerts_active', help: 'Active safeguarding Flags, by rule and priority.', labels: ['rule', 'priority'],
    fill: (set, f) => f.alertsActive.forEach((a) => set({ rule: a.rule, priority: a.priority }, a.count)) },
  { name: 'cradle_alerts_raised_30d', help: 'Flags raised (became active) in the last 30 days, by rule.', labels: ['rule'],
    fill: (set, f) => {
      const byRule = new Map<string, number>();
      for (const r of f.alertsRaised) byRule.set(r.rule, (byRule.get(r.rule) ?? 0) + r.count);
      byRule.forEach((n, rule) => set({ rule }, n));
    } },
  { name: 'cradle_deliveries', help: 'Recipients\' copies of families by recipient and status (pending, delivered, parked, withdrawn).', labels: ['recipient', 'status'],
    fill: (set, f) => f.deliveries.forEach((d) => set({ recipient: d.recipient, status: d.status }, d.count)) },
  { name: 'cradle_deliveries_parked', help: 'Deliveries parked for an operator after their last failed attempt, by recipient.', labels: ['recipient'],
    fill: (set, f) => f.recipients.forEach((r) => set({ recipient: r.recipient }, r.parked)) },
  { name: 'cradle_delivery_attempts_24h', help: 'Push attempts in the last 24 hours by recipient and outcome (success, failure), from the audit trail.', labels: ['recipient', 'outcome'],
    fill: (set, f) => f.recipients.forEach((r) => {
      set({ recipient: r.recipient, outcome: 'success' }, r.attempts24h.success);
      set({ recipient: r.recipient, outcome: 'failure' }, r.attempts24h.failure);
    }) },
  { name: 'cradle_alerts_unrouted', help: 'Active Flags on families routed to no recipient: nobody can see them. Alert on any.', labels: [],
    fill: (set, f) => set({}, f.alertsUnrouted) },
  { name: 'cradle_identity_reviews_open', help: 'Possible matches awaiting an operator\'s decision.', labels: [],
    fill: (set, f) => set({}, f.reviewsOpen) },
  { name: 'cradle_alert_latency_seconds', help: 'Percentiles over the last 30 days, from stored times: ingest_to_flag (newest evidence message → Flag raised) and flag_to_delivered (Flag raised → each recipient first holds it).', labels: ['path', 'quantile'],
    fill: (set, f) => latencyPaths(f).forEach(([path, p]) => ([['0.5', p.p50], ['0.9', p.p90], ['0.99', p.p99]] as const)
      .forEach(([quantile, v]) => v !== null && set({ path, quantile }, v))) },
  { name: 'cradle_alert_latency_samples', help: 'How many intervals cradle_alert_latency_seconds is computed from.', labels: ['path'],
    fill: (set, f) => latencyPaths(f).forEach(([path, p]) => set({ path }, p.count)) },
  { name: 'cradle_coverage_hv_within_day_ratio', help: 'Share of flagged births (last 30 days) whose health visiting team received the view within a day; absent until one is decided.', labels: [],
    fill: (set, f) => f.coverage.ratio !== null && set({}, f.coverage.ratio) },
  { name: 'cradle_coverage_flagged_births', help: 'Flagged births (last 30 days) by state: covered (health visiting held it within a day), late, awaiting (under a day old).', labels: ['state'],
    fill: (set, f) => (['covered', 'late', 'awaiting'] as const).forEach((state) => set({ state }, f.coverage[state])) },
  { name: 'cradle_figures_generated_timestamp_seconds', help: 'When the store figures in this scrape were computed (they are cached for a few seconds).', labels: [],
    fill: (set, f) => set({}, seconds(f.generatedAt)) },
];

function latencyPaths(f: Figures) {
  return [['ingest_to_flag', f.latency.ingestToFlag], ['flag_to_delivered', f.latency.flagToDelivered]] as const;
}

/** Registers every figure gauge on `registry`; each reads the snapshot when scraped. */
export function registerFigureGauges(registry: Registry, source: FiguresSource): void {
  for (const def of FIGURE_GAUGES) {
    new Gauge({
      name: def.name, help: def.help, labelNames: def.labels, registers: [registry],
      async collect() {
        const figures = await source.get();
        this.reset();
        def.fill((labels, value) => this.set(labels, value), figures);
      },
    });
  }
}
