import type { JobsOptions } from 'bullmq';

/** The no-op pipeline's three queues, named like Cradle's stages. */
export const STAGES = ['map', 'assess', 'deliver'] as const;

/** What a no-op job carries from stage to stage: the payload itself, and when it was received. */
export interface NoopJob {
  source: string;
  body: string;
  receivedAt: number;
}

/** The same job options Cradle's BullMQ adapter gives its jobs (src/queue/bullmq-queue.ts). */
export const JOB_OPTIONS: JobsOptions = { attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: true };

/** Redis list (under the run's prefix) of `receivedAt:doneAt` for each payload that left the last stage. */
export const doneKey = (prefix: string) => `${prefix}:bench:done`;
