import { serve } from '@hono/node-server';
import { Queue } from 'bullmq';
import { Hono } from 'hono';
import { Redis } from 'ioredis';
import { JOB_OPTIONS, STAGES, type NoopJob } from './noop-stages.js';

/**
 * The no-op baseline's HTTP process: the same HTTP stack as Cradle's gateway (Hono on
 * @hono/node-server), checking the bearer token, reading the body and adding it to the
 * first of three BullMQ queues — no store, no parsing. What Cradle does beyond this is
 * the cost of its work. Run with tsx; configured by PORT, REDIS_URL, BENCH_PREFIX, BENCH_TOKEN.
 */
const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const first = new Queue<NoopJob>(STAGES[0], { connection, prefix: process.env.BENCH_PREFIX! });
const expected = `Bearer ${process.env.BENCH_TOKEN}`;

const app = new Hono();
app.get('/readyz', (c) => c.text('ok'));
app.post('/ingest/:source', async (c) => {
  if (c.req.header('authorization') !== expected) return c.text('unauthorised', 401);
  const body = Buffer.from(await c.req.arrayBuffer()).toString('utf8');
  const job = await first.add(STAGES[0], { source: c.req.param('source'), body, receivedAt: Date.now() }, JOB_OPTIONS);
  return c.json({ messageId: job.id, status: 'received' }, 202);
});

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
process.on('SIGTERM', () => {
  server.close();
  void first.close().then(() => connection.disconnect()).finally(() => process.exit(0));
});
