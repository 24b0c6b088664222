import { expect, it } from 'vitest';
import { CradleError } from '../fhir/outcome.js';
import type { MapJob, QueueName } from './names.js';
import type { Job, JobQueue } from './queue.js';
import { withFailurePolicy } from './retry-policy.js';

/**
 * The job contract both adapters must keep, run against each (memory-queue.test.ts and
 * tests/queue.int.test.ts on real Redis): de-duplication by job id (and one more run for a
 * job added while it runs), retries with backoff for transient failures, parking on
 * permanent ones, concurrency.
 */
export function queueContract(open: () => Promise<JobQueue>, settle: (q: JobQueue, queue?: QueueName) => Promise<void>): void {
  const job = (n: number, attempt = 0): MapJob => ({ messageId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, attempt });

  it('runs each job once, ignoring a duplicate added while it waits', async () => {
    const q = await open();
    const seen: string[] = [];
    await q.add('map', [job(1), job(1), job(2)]);
    await q.add('map', [job(1)]);
    q.work('map', async (j) => { seen.push(j.data.messageId.slice(-1)); }, { concurrency: 1 });
    await settle(q);
    expect(seen.sort()).toEqual(['1', '2']);
    await q.close();
  });

  it('runs a job added while the same one runs once more after it, with the latest data, never at once', async () => {
    const q = await open();
    const runs: number[] = [];
    let running = 0;
    let overlapped = false;
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const firstStarted = new Promise<void>((r) => (started = r));
    q.work('assess', async (j) => {
      overlapped ||= running > 0;
      running++;
      runs.push(j.data.generation);
      if (runs.length === 1) {
        started();
        await released;
      }
      running--;
    }, { concurrency: 2 });
    await q.add('assess', [{ familyKey: 'family-a', generation: 1 }]);
    await firstStarted;
    // The outbox's work arrives while the job that would have drained it is finishing.
    await q.add('assess', [{ familyKey: 'family-a', generation: 2 }]);
    await q.add('assess', [{ familyKey: 'family-a', generation: 3 }]);
    release();
    await settle(q, 'assess');
    expect(runs).toEqual([1, 3]);
    expect(overlapped).toBe(false);
    await q.close();
  });

  it('retries a transient failure with backoff until it succeeds', async () => {
    const q = await open();
    const attempts: number[] = [];
    q.work('map', withFailurePolicy<MapJob>(async (j) => {
      attempts.push(j.attempt);
      if (j.attempt < 3) throw new CradleError('CRADLE_RECIPIENT_UNAVAILABLE');
    }, async () => { throw new Error('should not park'); }), { concurrency: 1 });
    await q.add('map', [job(3)]);
    await settle(q);
    expect(attempts).toEqual([1, 2, 3]);
    await q.close();
  });

  it('parks a permanent failure at once, and a transient one after the last attempt', async () => {
    const q = await open();
    const parked: Array<{ id: string; attempt: number; code: string }> = [];
    q.work('map', withFailurePolicy<MapJob>(async (j) => {
      throw new CradleError(j.data.messageId.endsWith('4') ? 'CRADLE_INPUT_INVALID' : 'CRADLE_RECIPIENT_UNAVAILABLE');
    }, async (j: Job<MapJob>, err) => { parked.push({ id: j.data.messageId.slice(-1), attempt: j.attempt, code: err.issues[0]!.code }); }), { concurrency: 2 });
    await q.add('map', [job(4), job(5)]);
    await settle(q);
    expect(parked.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: '4', attempt: 1, code: 'CRADLE_INPUT_INVALID' },
      { id: '5', attempt: 3, code: 'CRADLE_RECIPIENT_UNAVAILABLE' },
    ]);
    await q.close();
  });

  it('runs up to `concurrency` jobs at once', async () => {
    const q = await open();
    let running = 0;
    let peak = 0;
    q.work('map', async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 30));
      running--;
    }, { concurrency: 3 });
    await q.add('map', Array.from({ length: 9 }, (_, i) => job(10 + i)));
    await settle(q);
    expect(peak).toBe(3);
    await q.close();
  });
}
