import type { RecipientConfig } from '../config/config.js';
import { QUEUES, type QueueName } from '../queue/names.js';
import type { JobQueue } from '../queue/queue.js';
import type { Sql } from '../store/db.js';
import {
  activeAlerts, alertEpisodes, deliveryCounts, episodeDeliveries, failureCodes, messageCounts, openReviews, unroutedAlerts,
  outstandingWork, pushAttempts, sourceActivity,
} from '../store/figures-queries.js';
import {
  coverage, fillDays, flagToDelivered, ingestToFlag, raisedPerDay,
  type Figures, type QueueFigures, type RecipientHealth,
} from './figures.js';

export interface FiguresSourceOptions {
  sql: Sql;
  queue: Pick<JobQueue, 'counts'>;
  recipients: readonly RecipientConfig[];
  clock: () => string;
  /** How long one snapshot serves scrapes and dashboard loads (default 5 s). */
  ttlMs?: number;
  /** Days behind latency, coverage and the alerts-over-time chart (default 30); freshness shows 14. */
  windowDays?: number;
}

const FRESHNESS_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * The figures as one snapshot, computed from the store (and the queue's counts) at most once
 * per `ttlMs` however many scrapes and dashboard loads arrive, with one computation in flight
 * at a time. So `/metrics` on any gateway tells the truth across processes and stays cheap.
 *
 * @example const figures = await new FiguresSource({ sql: db, queue, recipients, clock }).get()
 */
export class FiguresSource {
  private cached: { at: number; figures: Figures } | undefined;
  private inflight: Promise<Figures> | undefined;
  private readonly ttlMs: number;
  private readonly windowDays: number;

  constructor(private readonly options: FiguresSourceOptions) {
    this.ttlMs = options.ttlMs ?? 5000;
    this.windowDays = options.windowDays ?? 30;
  }

  async get(): Promise<Figures> {
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached.figures;
    this.inflight ??= this.compute().then((figures) => {
      this.cached = { at: Date.now(), figures };
      return figures;
    }).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  /** Forgets the snapshot, so the next `get` reads the store again (tests, after a known change). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async compute(): Promise<Figures> {
    const { sql, recipients } = this.options;
    const now = this.options.clock();
    const nowMs = Date.parse(now);
    const since = new Date(nowMs - this.windowDays * DAY_MS).toISOString();
    const freshSince = `${new Date(nowMs - (FRESHNESS_DAYS - 1) * DAY_MS).toISOString().slice(0, 10)}T00:00:00.000Z`;
    // One at a time: PGlite has a single connection, and a scrape should not crowd out the pipeline.
    const messages = await messageCounts(sql);
    const failures = await failureCodes(sql);
    const activity = await sourceActivity(sql, freshSince);
    const outstanding = await outstandingWork(sql);
    const alertsActive = await activeAlerts(sql);
    const episodes = await alertEpisodes(sql, since);
    const delivered = await episodeDeliveries(sql, since);
    const deliveries = await deliveryCounts(sql);
    const pushes = await pushAttempts(sql, since, new Date(nowMs - DAY_MS).toISOString());
    const reviewsOpen = await openReviews(sql);
    const alertsUnrouted = await unroutedAlerts(sql);
    const queues = await this.queueFigures(outstanding, nowMs);
    const kindOf = new Map(recipients.map((r) => [r.id, r.kind]));
    return {
      generatedAt: now,
      windowDays: this.windowDays,
      messages,
      failures,
      sources: [...new Set([...messages.map((m) => m.source), ...activity.last.map((l) => l.source)])].sort().map((source) => ({
        source,
        lastReceivedAt: activity.last.find((l) => l.source === source)?.lastReceivedAt ?? null,
        perDay: fillDays(activity.perDay.filter((d) => d.source === source), FRESHNESS_DAYS, now),
      })),
      queues,
      alertsActive,
      alertsRaised: raisedPerDay(episodes, this.windowDays, now),
      deliveries,
      recipients: recipientHealth(recipients, deliveries, pushes),
      reviewsOpen,
      alertsUnrouted,
      latency: { ingestToFlag: ingestToFlag(episodes), flagToDelivered: flagToDelivered(delivered) },
      coverage: coverage(episodes, delivered, (id) => kindOf.get(id) === 'health-visiting', now),
    };
  }

  private async queueFigures(outstanding: Array<{ queue: string; count: number; oldest: string | null }>, nowMs: number): Promise<QueueFigures[]> {
    const out: QueueFigures[] = [];
    for (const queue of QUEUES as readonly QueueName[]) {
      const counts = await this.options.queue.counts(queue).catch(() => ({ waiting: 0, active: 0, delayed: 0, failed: 0 }));
      const work = outstanding.find((o) => o.queue === queue);
      out.push({
        queue, ...counts, outstanding: work?.count ?? 0,
        oldestAgeSeconds: work?.oldest ? Math.max(0, Math.round((nowMs - Date.parse(work.oldest)) / 1000)) : null,
      });
    }
    return out;
  }
}

/** Configured recipients first (in configuration order), then any the store still mentions. */
function recipientHealth(recipients: readonly RecipientConfig[], deliveries: Figures['deliveries'],
  pushes: Array<{ recipient: string; success: number; failure: number; lastSuccessAt: string | null }>): RecipientHealth[] {
  const ids = [...new Set([...recipients.map((r) => r.id), ...deliveries.map((d) => d.recipient), ...pushes.map((p) => p.recipient)])];
  return ids.map((id) => {
    const config = recipients.find((r) => r.id === id);
    const count = (status: string) => deliveries.find((d) => d.recipient === id && d.status === status)?.count ?? 0;
    const push = pushes.find((p) => p.recipient === id);
    return {
      recipient: id, name: config?.name ?? id, kind: config?.kind ?? 'unknown',
      pending: count('pending'), delivered: count('delivered'), parked: count('parked'), withdrawn: count('withdrawn'),
      attempts24h: { success: push?.success ?? 0, failure: push?.failure ?? 0 },
      lastSuccessAt: push?.lastSuccessAt ?? null,
    };
  });
}
