import { asCradleError, type CradleError } from '../fhir/outcome.js';
import type { Job, Processor } from './queue.js';

/**
 * Wraps a processor with Cradle's failure policy, the same for both adapters:
 * - a retryable failure (network, 5xx, store not ready) is re-thrown so the queue retries
 *   it with backoff, until the last attempt;
 * - a permanent failure (bad input, a 4xx from a recipient, a mapping defect), or the last
 *   attempt of a retryable one, goes to `onFinal`, which parks it with its outcome for
 *   replay. The job then completes: parking is the job's result, done inside the job so it
 *   is as durable as any other write.
 */
export function withFailurePolicy<T>(
  processor: Processor<T>,
  onFinal: (job: Job<T>, error: CradleError) => Promise<void>,
): Processor<T> {
  return async function runWithPolicy(job: Job<T>): Promise<void> {
    try {
      await processor(job);
    } catch (err) {
      const error = asCradleError(err);
      if (error.retryable && job.attempt < job.maxAttempts) throw error;
      await onFinal(job, error);
    }
  };
}
