/**
 * The business figures behind `/metrics` and the commissioners' dashboard, and the pure
 * arithmetic that turns stored rows into them. Everything here is an aggregate: counts,
 * times and percentages by source, rule, recipient or queue — never a person. Time is
 * passed in.
 */

export type MessageStatus = 'received' | 'processed' | 'rejected' | 'failed';

export interface Percentiles {
  /** How many intervals the percentiles are computed from. */
  count: number;
  /** Seconds; null when there is nothing to measure. */
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface SourceFreshness {
  source: string;
  lastReceivedAt: string | null;
  /** Messages received per UTC day, oldest first, one entry for each of the last `days`. */
  perDay: Array<{ day: string; count: number }>;
}

export interface QueueFigures {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  /** Work recorded in the store but not done yet (inbound messages for `map`, the outbox for the others). */
  outstanding: number;
  /** Age of the oldest outstanding work, in seconds; null when there is none. */
  oldestAgeSeconds: number | null;
}

export interface RecipientHealth {
  recipient: string;
  name: string;
  kind: string;
  pending: number;
  delivered: number;
  parked: number;
  withdrawn: number;
  /** Push attempts in the last 24 hours, from the audit trail. */
  attempts24h: { success: number; failure: number };
  lastSuccessAt: string | null;
}

export interface Coverage {
  /** Flagged births whose health visiting team held the alert within a day of it being raised. */
  covered: number;
  /** Flagged births where that took longer than a day, or has not happened a day on. */
  late: number;
  /** Flagged births raised less than a day ago and not delivered yet: not decided either way. */
  awaiting: number;
  /** covered / (covered + late); null when nothing is decided yet. */
  ratio: number | null;
}

export interface Figures {
  generatedAt: string;
  /** Latency, coverage and alerts over time look back this many days. */
  windowDays: number;
  messages: Array<{ source: string; status: MessageStatus; count: number }>;
  failures: Array<{ source: string; status: 'rejected' | 'failed'; code: string; count: number }>;
  sources: SourceFreshness[];
  queues: QueueFigures[];
  alertsActive: Array<{ rule: string; priority: string; count: number }>;
  /** Alerts raised per UTC day and rule over the window (a re-raised alert counts again). */
  alertsRaised: Array<{ day: string; rule: string; count: number }>;
  deliveries: Array<{ recipient: string; status: string; count: number }>;
  recipients: RecipientHealth[];
  reviewsOpen: number;
  /** Active Flags on families routed to no recipient. */
  alertsUnrouted: number;
  latency: { ingestToFlag: Percentiles; flagToDelivered: Percentiles };
  coverage: Coverage;
}

/** One time a Flag became active, with what it is needed for (see figures-queries.ts). */
export interface AlertEpisode {
  flagId: string;
  raisedAt: string;
  rule: string;
  /** The subject is a born child (not the mother, not an unborn child): a flagged birth. */
  onInfant: boolean;
  /** An opaque key of the subject, to count births once; never leaves the process. */
  subjectKey: string;
  /** Receipt of the newest message behind the alert's evidence, if any. */
  ingestedAt: string | null;
}

/** The first successful push of an alert episode to one recipient. */
export interface EpisodeDelivery {
  flagId: string;
  raisedAt: string;
  recipientId: string;
  deliveredAt: string;
}

/**
 * Alerts raised by the passage of time rather than by a message (the overdue-pregnancy and
 * unseen-alert sweeps): their "ingest → Flag" time would measure the calendar, not Cradle.
 */
export const TIME_DRIVEN_RULES: ReadonlySet<string> = new Set(['birth-not-notified', 'alert-not-seen']);

const DAY_MS = 86_400_000;

/** Percentiles by linear interpolation between closest ranks (as PostgreSQL's percentile_cont). */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const at = (q: number): number | null => {
    if (sorted.length === 0) return null;
    const pos = (sorted.length - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return round3(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo));
  };
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function seconds(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / 1000;
}

/** Ingest → Flag: from the arrival of the newest message behind an alert to the alert. */
export function ingestToFlag(episodes: readonly AlertEpisode[]): Percentiles {
  return percentiles(episodes
    .filter((e) => e.ingestedAt !== null && !TIME_DRIVEN_RULES.has(e.rule))
    .map((e) => Math.max(0, seconds(e.ingestedAt!, e.raisedAt))));
}

/** Flag → delivered: from an alert being raised to each recipient first holding it. */
export function flagToDelivered(deliveries: readonly EpisodeDelivery[]): Percentiles {
  return percentiles(deliveries.map((d) => Math.max(0, seconds(d.raisedAt, d.deliveredAt))));
}

/**
 * The share of flagged births whose health visiting team received the view within a day:
 * each infant counts once, from the first alert raised about it in the window; it is
 * covered when a health-visiting recipient held any of its alerts within 24 hours of that.
 */
export function coverage(episodes: readonly AlertEpisode[], deliveries: readonly EpisodeDelivery[],
  isHealthVisiting: (recipientId: string) => boolean, now: string): Coverage {
  const firstRaised = new Map<string, number>();
  const subjectOf = new Map<string, string>();
  for (const e of episodes) {
    if (!e.onInfant) continue;
    subjectOf.set(episodeKey(e), e.subjectKey);
    const t = Date.parse(e.raisedAt);
    if (t < (firstRaised.get(e.subjectKey) ?? Infinity)) firstRaised.set(e.subjectKey, t);
  }
  const firstHv = new Map<string, number>();
  for (const d of deliveries) {
    const subject = subjectOf.get(episodeKey(d));
    if (!subject || !isHealthVisiting(d.recipientId)) continue;
    const t = Date.parse(d.deliveredAt);
    if (t < (firstHv.get(subject) ?? Infinity)) firstHv.set(subject, t);
  }
  const out: Coverage = { covered: 0, late: 0, awaiting: 0, ratio: null };
  const nowMs = Date.parse(now);
  for (const [subject, raised] of firstRaised) {
    const delivered = firstHv.get(subject);
    if (delivered !== undefined && delivered - raised <= DAY_MS) out.covered++;
    else if (delivered !== undefined || nowMs - raised > DAY_MS) out.late++;
    else out.awaiting++;
  }
  const decided = out.covered + out.late;
  out.ratio = decided === 0 ? null : round3(out.covered / decided);
  return out;
}

function episodeKey(e: { flagId: string; raisedAt: string }): string {
  return `${e.flagId}|${Date.parse(e.raisedAt)}`;
}

/** Alerts raised per UTC day and rule, with every day of the window present for each rule. */
export function raisedPerDay(episodes: readonly AlertEpisode[], days: number, now: string): Figures['alertsRaised'] {
  const window = lastDays(days, now);
  const first = window[0]!;
  const counts = new Map<string, number>();
  for (const e of episodes) {
    const day = new Date(e.raisedAt).toISOString().slice(0, 10);
    if (day < first) continue;
    counts.set(`${e.rule}|${day}`, (counts.get(`${e.rule}|${day}`) ?? 0) + 1);
  }
  const rules = [...new Set(episodes.map((e) => e.rule))].sort();
  return rules.flatMap((rule) => window.map((day) => ({ day, rule, count: counts.get(`${rule}|${day}`) ?? 0 })));
}

/** The last `days` UTC days up to and including today's, as YYYY-MM-DD, oldest first. */
export function lastDays(days: number, now: string): string[] {
  const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * DAY_MS).toISOString().slice(0, 10));
}

/** Fills a per-day series so every day of the window is present (0 where nothing came). */
export function fillDays(counts: ReadonlyArray<{ day: string; count: number }>, days: number, now: string): Array<{ day: string; count: number }> {
  const byDay = new Map(counts.map((c) => [c.day, c.count]));
  return lastDays(days, now).map((day) => ({ day, count: byDay.get(day) ?? 0 }));
}
