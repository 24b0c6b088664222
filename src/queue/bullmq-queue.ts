import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { coalesce } from '../util/coalesce.js';
import { jobIdOf, QUEUES, type JobData, type QueueName } from './names.js';
import { timed, type JobObserver, type JobQueue, type Processor, type QueueCounts, type RetryPolicy, type WorkOptions } from './queue.js';

export interface BullQueueOptions {
  url: string;
  /** Key prefix: one per deployment, and one per test so tests never share keys. */
  prefix: string;
  /** BullMQ's lock duration and stalled-job check interval: a killed worker's job is re-run within about twice this. */
  lockMs?: number;
  policies: Readonly<Record<QueueName, RetryPolicy>>;
  onJob?: JobObserver;
}

/**
 * BullMQ on Redis, for the scaled-out mode: `cradle gateway` processes add jobs and
 * `cradle worker` processes on any host consume them. Finished jobs are removed at once —
 * completed or failed — so the same work can be queued again under its id: a job fails
 * outright only when even parking it was impossible (the store down on its last attempt),
 * and then its work is still in the store's outbox for the recovery sweep to re-queue.
 * Redis is only ever a wake-up list; losing it loses nothing.
 */
export class BullQueue implements JobQueue {
  readonly kind = 'bullmq' as const;
  private readonly connection: Redis;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  private readonly workerConnections: Redis[] = [];
  private readonly schedules = new Map<string, () => Promise<unknown>>();
  private readonly adders = new Map<QueueName, (jobs: ReadonlyArray<JobData[QueueName]>) => Promise<undefined>>();

  constructor(private readonly options: BullQueueOptions) {
    this.connection = this.connect();
    // A Redis restart that kept nothing loses the job schedulers too; put them back.
    this.connection.on('ready', () => {
      for (const upsert of this.schedules.values()) upsert().catch(() => undefined);
    });
  }

  async add<Q extends QueueName>(queue: Q, jobs: ReadonlyArray<JobData[Q]>): Promise<void> {
    if (jobs.length === 0) return;
    await this.adder(queue)(jobs);
  }

  /** Adds made at the same moment (a gateway's concurrent requests) share one round trip to Redis. */
  private adder(queue: QueueName): (jobs: ReadonlyArray<JobData[QueueName]>) => Promise<void> {
    let add = this.adders.get(queue);
    if (!add) {
      add = coalesce(async (lists: ReadonlyArray<ReadonlyArray<JobData[QueueName]>>) => {
        await this.addBulk(queue, lists.flat());
        return lists.map(() => undefined);
      }, { maxBatch: 64 });
      this.adders.set(queue, add);
    }
    return add;
  }

  private async addBulk(queue: QueueName, jobs: ReadonlyArray<JobData[QueueName]>): Promise<void> {
    const { attempts, backoffMs } = this.options.policies[queue];
    await this.queue(queue).addBulk(jobs.map((data) => ({
      name: queue,
      data,
      opts: {
        // De-duplicated by the job's identity (names.ts), not by BullMQ job id: a job id only
        // ignores an add while the job exists, so work marked after an active job's last look
        // at the outbox but before it was removed was never picked up (only the recovery
        // sweep, minutes later, found it). `keepLastIfActive` queues it to run once more.
        deduplication: { id: jobIdOf(queue, data), keepLastIfActive: true },
        attempts,
        backoff: { type: 'exponential', delay: backoffMs },
        removeOnComplete: true,
        removeOnFail: true,
      },
    })));
  }

  work<Q extends QueueName>(queue: Q, processor: Processor<JobData[Q]>, options: WorkOptions): void {
    const connection = this.connect();
    this.workerConnections.push(connection);
    const worker = new Worker<JobData[Q]>(
      queue,
      async (job) => timed(queue, this.options.onJob, () => processor({
        id: job.id!,
        queue,
        data: job.data,
        attempt: job.attemptsMade + 1,
        maxAttempts: job.opts.attempts ?? 1,
      })),
      { connection, prefix: this.options.prefix, concurrency: options.concurrency, autorun: true, lockDuration: this.options.lockMs ?? 30_000, stalledInterval: this.options.lockMs ?? 30_000 },
    );
    // Errors here are connection blips (Redis restart); BullMQ reconnects by itself.
    worker.on('error', () => undefined);
    this.workers.push(worker);
  }

  /** A BullMQ job scheduler: one repeatable job however many processes schedule it. */
  async schedule<Q extends QueueName>(queue: Q, data: JobData[Q], everyMs: number): Promise<void> {
    const upsert = () => this.queue(queue).upsertJobScheduler(jobIdOf(queue, data), { every: everyMs }, {
      name: queue, data, opts: { removeOnComplete: true, removeOnFail: true },
    });
    this.schedules.set(jobIdOf(queue, data), upsert);
    await upsert();
  }

  async counts(queue: QueueName): Promise<QueueCounts> {
    const c = await this.queue(queue).getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0 };
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.connection.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    for (const c of [this.connection, ...this.workerConnections]) c.disconnect();
  }

  /** The BullMQ queues themselves, for the operators' queue board (bull-board). */
  boardQueues(): Queue[] {
    return QUEUES.map((name) => this.queue(name));
  }

  /** Removes every key under this prefix; for tests. */
  async obliterate(): Promise<void> {
    for (const q of [...this.queues.values()]) await q.obliterate({ force: true });
  }

  private queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.options.prefix });
      q.on('error', () => undefined);
      this.queues.set(name, q);
    }
    return q;
  }

  private connect(): Redis {
    const redis = new Redis(this.options.url, { maxRetriesPerRequest: null, enableOfflineQueue: true, lazyConnect: false });
    redis.on('error', () => undefined);
    return redis;
  }
}
