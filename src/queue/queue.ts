import type { JobData, QueueName } from './names.js';

/** What a processor sees of a job, whichever adapter runs it. */
export interface Job<T> {
  id: string;
  queue: QueueName;
  data: T;
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
}

/** A processor is a plain function, testable without Redis (as in BullMQ's own design). */
export type Processor<T> = (job: Job<T>) => Promise<void>;

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

export interface WorkOptions {
  concurrency: number;
}

/** Told of every job this process's workers finish, for the job-duration metric; `error` means it will be retried. */
export type JobObserver = (queue: QueueName, seconds: number, outcome: 'ok' | 'error') => void;

/**
 * The queue contract Cradle's pipeline uses. Two adapters implement it with the same
 * semantics — de-duplication by job id (a job added while it runs runs once more after it),
 * retries with exponential backoff, concurrency: BullMQ on Redis when REDIS_URL is set,
 * in-process otherwise. Durability does not rest on
 * the queue: the inbound store and the outbox can re-create every job.
 */
export interface JobQueue {
  readonly kind: 'bullmq' | 'memory';
  add<Q extends QueueName>(queue: Q, jobs: ReadonlyArray<JobData[Q]>): Promise<void>;
  /** Starts consuming `queue`. The processor throws to ask for a retry. */
  work<Q extends QueueName>(queue: Q, processor: Processor<JobData[Q]>, options: WorkOptions): void;
  /** Adds `data` to `queue` every `everyMs`, once across all processes (a repeatable job). */
  schedule<Q extends QueueName>(queue: Q, data: JobData[Q], everyMs: number): Promise<void>;
  counts(queue: QueueName): Promise<QueueCounts>;
  ping(): Promise<boolean>;
  /** Stops taking jobs, waits for running ones, closes connections. */
  close(): Promise<void>;
}

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

/** Exponential backoff: backoffMs, 2×, 4×… (BullMQ's `exponential` type gives the same). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  return policy.backoffMs * 2 ** Math.max(0, attempt - 1);
}

/** Runs a job, telling `onJob` how long it took and whether it threw. */
export async function timed(queue: QueueName, onJob: JobObserver | undefined, run: () => Promise<void>): Promise<void> {
  const started = performance.now();
  try {
    await run();
    onJob?.(queue, (performance.now() - started) / 1000, 'ok');
  } catch (err) {
    onJob?.(queue, (performance.now() - started) / 1000, 'error');
    throw err;
  }
}
