import { describe, expect, it } from 'vitest';
import { inBatches } from './batch.js';
import type { Job } from './queue.js';

const job = (n: number): Job<number> => ({ id: `j${n}`, queue: 'map', data: n, attempt: 1, maxAttempts: 3 });

describe('inBatches', () => {
  it('runs a job that arrives alone at once, in a batch of one', async () => {
    const batches: number[][] = [];
    const run = inBatches<number>(async (jobs) => {
      batches.push(jobs.map((j) => j.data));
      return jobs.map(() => undefined);
    }, { maxBatch: 8 });
    await run(job(1));
    expect(batches).toEqual([[1]]);
  });

  it('gathers the jobs that arrive while a batch runs into the next, up to the maximum', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const firstHeld = new Promise<void>((r) => (release = r));
    const run = inBatches<number>(async (jobs) => {
      batches.push(jobs.map((j) => j.data));
      if (batches.length === 1) await firstHeld;
      return jobs.map(() => undefined);
    }, { maxBatch: 3 });
    const first = run(job(1));
    await new Promise((r) => setImmediate(r));
    const rest = [2, 3, 4, 5, 6].map((n) => run(job(n)));
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('runs up to `inFlight` batches at once, so a slow one holds up only its own jobs', async () => {
    const finished: number[] = [];
    let releaseSlow!: () => void;
    const slow = new Promise<void>((r) => (releaseSlow = r));
    const run = inBatches<number>(async (jobs) => {
      if (jobs.some((j) => j.data === 1)) await slow;
      finished.push(...jobs.map((j) => j.data));
      return jobs.map(() => undefined);
    }, { maxBatch: 2, inFlight: 2 });
    const first = run(job(1));
    await new Promise((r) => setImmediate(r));
    await Promise.all([run(job(2)), run(job(3))]);
    expect(finished).toEqual([2, 3]);
    releaseSlow();
    await first;
    expect(finished).toEqual([2, 3, 1]);
  });

  it('fails only the jobs the batch says failed, and every job of a batch that threw', async () => {
    const boom = new Error('store down');
    let calls = 0;
    const run = inBatches<number>(async (jobs) => {
      calls++;
      if (calls === 2) throw boom;
      return jobs.map((j) => (j.data % 2 === 0 ? new Error(`job ${j.data}`) : undefined));
    }, { maxBatch: 4 });
    const settled = await Promise.allSettled([1, 2, 3].map((n) => run(job(n))));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toEqual(new Error('job 2'));
    await expect(run(job(5))).rejects.toBe(boom);
    await expect(run(job(7))).resolves.toBeUndefined();
  });
});
