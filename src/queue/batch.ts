import { coalesce } from '../util/coalesce.js';
import type { Job, Processor } from './queue.js';

/**
 * Runs a batch of jobs; returns, for each job in order, `undefined` when it succeeded or
 * the error its job fails with (the queue then retries or parks that job alone).
 */
export type BatchProcessor<T> = (jobs: ReadonlyArray<Job<T>>) => Promise<ReadonlyArray<unknown>>;

export interface BatchOptions {
  /** The most jobs in one batch. */
  maxBatch: number;
  /** Batches running at once (default 1). More lets a slow batch — a push to a recipient that
   * is timing out — hold up only its own jobs. */
  inFlight?: number;
  /** Told the size of each batch as it starts (the batch-size metric). */
  onBatch?: (jobs: number) => void;
}

/**
 * Natural batching ("group commit") of queue jobs: the queue hands jobs over one at a time,
 * as it always has; those that arrive while a batch is running wait and go together in the
 * next batch, up to `maxBatch` (util/coalesce.ts). An idle pipeline runs each job at once,
 * alone — no timer, no added latency — and a busy one pays the store's per-statement and
 * per-transaction costs once a batch instead of once a job (bench/README.md). Give the
 * queue a concurrency of about `maxBatch × (inFlight + 1)`, so the next batch fills while
 * the others run. Each job still succeeds or fails on its own, so the retry policy, the
 * backoff and the parking of a failed job are unchanged.
 *
 * @example queue.work('assess', inBatches((jobs) => execAssessBatch(rt, jobs), { maxBatch: 16 }), { concurrency: 32 })
 */
export function inBatches<T>(run: BatchProcessor<T>, options: BatchOptions): Processor<T> {
  const outcomeOf = coalesce<Job<T>, unknown>(run, options);
  return async function batchedJob(job: Job<T>): Promise<void> {
    const outcome = await outcomeOf(job);
    if (outcome !== undefined) throw outcome;
  };
}
