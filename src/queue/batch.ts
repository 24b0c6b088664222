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
 * Natural batching ("group commit"): the queue hands jobs over one at a time, as it always
 * has; those that arrive while a batch is running wait and go together in the next batch,
 * up to `maxBatch`. An idle pipeline runs each job at once, alone — no timer, no added
 * latency — and a busy one pays the store's per-statement and per-transaction costs once a
 * batch instead of once a job (bench/README.md). Give the queue a concurrency of about
 * `maxBatch × (inFlight + 1)`, so the next batch fills while the others run. Each job still
 * succeeds or fails on its own, so the retry policy, the backoff and the parking of a failed
 * job are unchanged.
 *
 * @example queue.work('assess', inBatches((jobs) => execAssessBatch(rt, jobs), { maxBatch: 16 }), { concurrency: 32 })
 */
export function inBatches<T>(run: BatchProcessor<T>, options: BatchOptions): Processor<T> {
  const { maxBatch } = options;
  const inFlight = options.inFlight ?? 1;
  const waiting: Array<{ job: Job<T>; done: (outcome: unknown) => void }> = [];
  let running = 0;
  let scheduled = false;

  async function runBatch(batch: typeof waiting): Promise<void> {
    options.onBatch?.(batch.length);
    let outcomes: ReadonlyArray<unknown>;
    try {
      outcomes = await run(batch.map((w) => w.job));
    } catch (err) {
      outcomes = batch.map(() => err);
    }
    batch.forEach((w, i) => w.done(outcomes[i]));
  }

  function startBatches(): void {
    scheduled = false;
    while (running < inFlight && waiting.length > 0) {
      running++;
      void runBatch(waiting.splice(0, maxBatch)).finally(() => {
        running--;
        startBatches();
      });
    }
  }

  return function batchedJob(job: Job<T>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      waiting.push({ job, done: (outcome) => (outcome === undefined ? resolve() : reject(outcome)) });
      if (running >= inFlight || scheduled) return;
      scheduled = true;
      // Jobs the queue starts in the same turn of the event loop join this batch.
      setImmediate(startBatches);
    });
  };
}
