import { jobIdOf, type JobData, type QueueName } from './names.js';
import { backoffDelay, timed, type Job, type JobObserver, type JobQueue, type Processor, type QueueCounts, type RetryPolicy, type WorkOptions } from './queue.js';

interface Entry {
  job: Job<unknown>;
  state: 'waiting' | 'delayed' | 'active';
  timer?: NodeJS.Timeout;
  /** Added again while active: run once more, with this data, when the active run ends. */
  again?: unknown;
}

interface Lane {
  entries: Map<string, Entry>;
  ready: string[];
  processor?: Processor<unknown>;
  concurrency: number;
  running: number;
  failed: number;
}

/**
 * The in-process queue for the embedded default: BullMQ's semantics (de-duplication by
 * job id: ignored while waiting, run once more after an active run — BullMQ's
 * `keepLastIfActive` —, attempts with exponential backoff, concurrency) in
 * memory. Nothing here survives a restart, by design: on start-up Cradle re-queues
 * unfinished work from the store.
 */
export class MemoryQueue implements JobQueue {
  readonly kind = 'memory' as const;
  private readonly lanes = new Map<QueueName, Lane>();
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly policies: Readonly<Record<QueueName, RetryPolicy>>, private readonly onJob?: JobObserver) {}

  async add<Q extends QueueName>(queue: Q, jobs: ReadonlyArray<JobData[Q]>): Promise<void> {
    if (this.closed) return;
    const lane = this.lane(queue);
    for (const data of jobs) {
      const id = jobIdOf(queue, data);
      const existing = lane.entries.get(id);
      if (existing?.state === 'active') existing.again = data;
      if (!existing) this.enqueue(queue, lane, id, data);
    }
    this.pump(queue);
  }

  private enqueue(queue: QueueName, lane: Lane, id: string, data: unknown): void {
    lane.entries.set(id, { job: { id, queue, data, attempt: 1, maxAttempts: this.policies[queue].attempts }, state: 'waiting' });
    lane.ready.push(id);
  }

  work<Q extends QueueName>(queue: Q, processor: Processor<JobData[Q]>, options: WorkOptions): void {
    const lane = this.lane(queue);
    lane.processor = processor as Processor<unknown>;
    lane.concurrency = Math.max(1, options.concurrency);
    this.pump(queue);
  }

  async schedule<Q extends QueueName>(queue: Q, data: JobData[Q], everyMs: number): Promise<void> {
    const timer = setInterval(() => void this.add(queue, [data]), everyMs);
    timer.unref();
    this.timers.push(timer);
  }

  async counts(queue: QueueName): Promise<QueueCounts> {
    const lane = this.lane(queue);
    let waiting = 0;
    let delayed = 0;
    for (const e of lane.entries.values()) {
      if (e.state === 'waiting') waiting++;
      else if (e.state === 'delayed') delayed++;
    }
    return { waiting, active: lane.running, delayed, failed: lane.failed };
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  /** Resolves when every lane is empty (no waiting, delayed or running job). For tests and `cradle ingest` in-process. */
  async idle(): Promise<void> {
    if (this.isIdle()) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    for (const lane of this.lanes.values()) {
      for (const e of lane.entries.values()) if (e.timer) clearTimeout(e.timer);
      lane.ready = [];
      for (const [id, e] of lane.entries) if (e.state !== 'active') lane.entries.delete(id);
    }
    while ([...this.lanes.values()].some((l) => l.running > 0)) await new Promise((r) => setTimeout(r, 10));
  }

  private lane(queue: QueueName): Lane {
    let lane = this.lanes.get(queue);
    if (!lane) {
      lane = { entries: new Map(), ready: [], concurrency: 1, running: 0, failed: 0 };
      this.lanes.set(queue, lane);
    }
    return lane;
  }

  private pump(queue: QueueName): void {
    const lane = this.lane(queue);
    while (!this.closed && lane.processor && lane.running < lane.concurrency && lane.ready.length > 0) {
      const entry = lane.entries.get(lane.ready.shift()!);
      if (!entry) continue;
      entry.state = 'active';
      lane.running++;
      void this.run(queue, lane, entry);
    }
    this.notifyIdle();
  }

  private async run(queue: QueueName, lane: Lane, entry: Entry): Promise<void> {
    try {
      await timed(queue, this.onJob, () => lane.processor!(entry.job));
      this.finished(queue, lane, entry);
    } catch {
      if (entry.job.attempt < entry.job.maxAttempts && !this.closed) {
        const delay = backoffDelay(this.policies[queue], entry.job.attempt);
        entry.job = { ...entry.job, attempt: entry.job.attempt + 1 };
        entry.state = 'delayed';
        entry.timer = setTimeout(() => {
          entry.state = 'waiting';
          entry.timer = undefined;
          lane.ready.push(entry.job.id);
          this.pump(queue);
        }, delay);
        entry.timer.unref?.();
      } else {
        lane.failed++;
        this.finished(queue, lane, entry);
      }
    } finally {
      lane.running--;
      this.pump(queue);
    }
  }

  /** Removes a finished entry; one added again while it ran is queued afresh. */
  private finished(queue: QueueName, lane: Lane, entry: Entry): void {
    lane.entries.delete(entry.job.id);
    if (entry.again !== undefined && !this.closed) this.enqueue(queue, lane, entry.job.id, entry.again);
  }

  private isIdle(): boolean {
    return [...this.lanes.values()].every((l) => l.entries.size === 0 && l.running === 0);
  }

  private notifyIdle(): void {
    if (this.idleWaiters.length > 0 && this.isIdle()) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
