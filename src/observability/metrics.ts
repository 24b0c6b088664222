import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { FiguresSource } from './figures-source.js';
import { registerFigureGauges } from './metrics-figures.js';

export type IngestResult = 'accepted' | 'duplicate' | 'rejected';
export type JobOutcome = 'ok' | 'error';

export interface MetricsOptions {
  /** The store's figures; when given, `exposition({ figures: true })` includes them (gateways). */
  figures?: FiguresSource;
  /** Node process metrics (CPU, memory, event loop) — for real processes, not for tests. */
  processMetrics?: boolean;
}

/** Seconds from a few milliseconds to a day: the pipeline runs in seconds, a backlog in hours. */
const LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 4 * 3600, 24 * 3600];
const JOB_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Cradle's Prometheus instruments. Two kinds, kept in two registries:
 * - this process's own instruments, observed where the work happens (ingest results, job
 *   durations, rule failures, ingest → Flag and Flag → delivered histograms). In the
 *   scaled-out mode each process has its own, so a worker serves them on METRICS_PORT;
 * - the business figures read from the store at scrape time (metrics-figures.ts), the same
 *   from every gateway because they describe the shared store, not the process.
 *
 * Label values are sources, statuses, issue codes, rule ids, recipient ids and queue names
 * only — never anything about a person.
 *
 * @example rt.metrics.ingested('maternity', 'accepted')
 */
export class Metrics {
  readonly registry = new Registry();
  readonly figuresRegistry = new Registry();
  readonly figures: FiguresSource | undefined;
  private readonly ingestCounter: Counter<'source' | 'result'>;
  private readonly mappedCounter: Counter<'source' | 'status'>;
  private readonly mapFailureCounter: Counter<'source' | 'code'>;
  private readonly jobDuration: Histogram<'queue' | 'outcome'>;
  private readonly ruleFailureCounter: Counter<'rule'>;
  private readonly raisedCounter: Counter<'rule' | 'priority'>;
  private readonly ingestToFlag: Histogram<'rule'>;
  private readonly flagToDelivered: Histogram<'recipient_kind'>;
  private readonly batchSize: Histogram<'queue'>;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.ingestCounter = new Counter({ name: 'cradle_ingest_messages_total', help: 'Messages this gateway accepted, by source and result (accepted, duplicate, rejected at the contract).', labelNames: ['source', 'result'], registers });
    this.mappedCounter = new Counter({ name: 'cradle_map_messages_total', help: 'Messages this process finished mapping, by source and final status (processed, rejected, failed).', labelNames: ['source', 'status'], registers });
    this.mapFailureCounter = new Counter({ name: 'cradle_map_failures_total', help: 'Mapping and validation failures in this process, by source and issue code.', labelNames: ['source', 'code'], registers });
    this.jobDuration = new Histogram({ name: 'cradle_job_duration_seconds', help: 'Time each queue job took in this process, by queue and outcome (ok, or error when it will be retried).', labelNames: ['queue', 'outcome'], buckets: JOB_BUCKETS, registers });
    this.ruleFailureCounter = new Counter({ name: 'cradle_rule_failures_total', help: 'Safeguarding rules that threw while assessing a family (each raised an error Flag), by rule.', labelNames: ['rule'], registers });
    this.raisedCounter = new Counter({ name: 'cradle_alerts_raised_total', help: 'Flags this process raised (became active), by rule and priority.', labelNames: ['rule', 'priority'], registers });
    this.ingestToFlag = new Histogram({ name: 'cradle_ingest_to_flag_seconds', help: 'From the arrival of the newest message behind an alert\'s evidence to the Flag being raised, by rule.', labelNames: ['rule'], buckets: LATENCY_BUCKETS, registers });
    this.flagToDelivered = new Histogram({ name: 'cradle_flag_to_delivered_seconds', help: 'From a Flag being raised to a recipient first holding it, by recipient kind.', labelNames: ['recipient_kind'], buckets: LATENCY_BUCKETS, registers });
    this.batchSize = new Histogram({ name: 'cradle_batch_jobs', help: 'Jobs in each batch this process ran (queue/batch.ts), by queue: near 1 when idle, larger under load.', labelNames: ['queue'], buckets: [1, 2, 4, 8, 16, 32], registers });
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'cradle_' });
    this.figures = options.figures;
    if (options.figures) registerFigureGauges(this.figuresRegistry, options.figures);
  }

  ingested(source: string, result: IngestResult): void {
    this.ingestCounter.inc({ source, result });
  }

  mapped(source: string, status: 'processed' | 'rejected' | 'failed', codes: readonly string[] = []): void {
    this.mappedCounter.inc({ source, status });
    for (const code of new Set(codes)) this.mapFailureCounter.inc({ source, code });
  }

  jobFinished(queue: string, seconds: number, outcome: JobOutcome): void {
    this.jobDuration.observe({ queue, outcome }, seconds);
  }

  batchRan(queue: string, jobs: number): void {
    this.batchSize.observe({ queue }, jobs);
  }

  ruleFailed(rule: string): void {
    this.ruleFailureCounter.inc({ rule });
  }

  alertRaised(rule: string, priority: string, ingestToFlagSeconds: number | undefined): void {
    this.raisedCounter.inc({ rule, priority });
    if (ingestToFlagSeconds !== undefined) this.ingestToFlag.observe({ rule }, ingestToFlagSeconds);
  }

  alertDelivered(recipientKind: string, seconds: number): void {
    this.flagToDelivered.observe({ recipient_kind: recipientKind }, seconds);
  }

  /** The Prometheus text: this process's instruments, and the store's figures when asked (gateways do). */
  async exposition(options: { figures: boolean }): Promise<string> {
    const own = await this.registry.metrics();
    if (!options.figures || !this.figures) return own;
    return `${own}${own.endsWith('\n') || own === '' ? '' : '\n'}${await this.figuresRegistry.metrics()}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
