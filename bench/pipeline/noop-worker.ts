import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { doneKey, JOB_OPTIONS, STAGES, type NoopJob } from './noop-stages.js';

/**
 * The no-op baseline's worker process: one BullMQ worker per stage with Cradle's
 * concurrency per stage (BENCH_CONCURRENCY, e.g. `4,2,4`), each passing the payload on to
 * the next queue; the last stage records when the payload left. Run with tsx; configured
 * by REDIS_URL, BENCH_PREFIX, BENCH_CONCURRENCY.
 */
const url = process.env.REDIS_URL!;
const prefix = process.env.BENCH_PREFIX!;
const concurrency = process.env.BENCH_CONCURRENCY!.split(',').map(Number);
const connection = new Redis(url, { maxRetriesPerRequest: null });
const queues = STAGES.map((name) => new Queue<NoopJob>(name, { connection, prefix }));

const workers = STAGES.map((name, i) => new Worker<NoopJob>(name, async (job) => {
  const next = queues[i + 1];
  if (next) await next.add(STAGES[i + 1]!, job.data, JOB_OPTIONS);
  else await connection.rpush(doneKey(prefix), `${job.data.receivedAt}:${Date.now()}`);
}, { connection: new Redis(url, { maxRetriesPerRequest: null }), prefix, concurrency: concurrency[i] ?? 1 }));

process.on('SIGTERM', () => {
  void Promise.all(workers.map((w) => w.close()))
    .then(() => Promise.all(queues.map((q) => q.close())))
    .finally(() => process.exit(0));
});
