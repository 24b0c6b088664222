import { join } from 'node:path';
import { Redis } from 'ioredis';
import { packageRoot } from '../../src/util/package-root.js';
import { ProcessGroup } from '../support/processes.js';
import { REDIS_URL } from '../support/services.js';
import { freePort, sleep, waitFor } from '../../tests/faults/support/wait.js';
import { doneKey } from './noop-stages.js';

export const NOOP_TOKEN = 'bench-noop-token';

/** Cradle's worker concurrency per stage (workers/map.ts, assess.ts, deliver.ts), mirrored by the no-op. */
export const CRADLE_CONCURRENCY = '4,2,4';

export interface NoopStack {
  url: string;
  processes: ProcessGroup;
  /** Waits until `count` payloads left the last stage; their `[receivedAt, doneAt]` pairs. */
  waitDone(count: number, timeoutMs: number): Promise<Array<[number, number]>>;
  close(): void;
}

/** The no-op baseline, shaped like the Cradle deployment it is compared with: one HTTP process and `workers` worker processes. */
export async function startNoop(opts: { prefix: string; workers: number }): Promise<NoopStack> {
  const port = await freePort();
  const env = { ...process.env, PORT: String(port), REDIS_URL, BENCH_PREFIX: opts.prefix, BENCH_TOKEN: NOOP_TOKEN, BENCH_CONCURRENCY: CRADLE_CONCURRENCY };
  const script = (name: string) => ['--import', 'tsx', join(packageRoot, 'bench/pipeline', name)];
  const processes = new ProcessGroup();
  const url = `http://127.0.0.1:${port}`;
  processes.start('no-op gateway', script('noop-gateway.ts'), env);
  for (let i = 1; i <= opts.workers; i++) processes.start(`no-op worker ${i}`, script('noop-worker.ts'), env);
  await waitFor(() => fetch(`${url}/readyz`).then((r) => r.ok, () => false), 60_000, 'no-op gateway did not become ready', 200);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  return {
    url,
    processes,
    async waitDone(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while ((await redis.llen(doneKey(opts.prefix))) < count) {
        if (Date.now() > deadline || processes.crashed.length > 0) throw new Error(`no-op pipeline did not finish ${count} payloads`);
        await sleep(50);
      }
      const rows = await redis.lrange(doneKey(opts.prefix), 0, -1);
      await redis.del(doneKey(opts.prefix));
      return rows.map((r) => r.split(':').map(Number) as [number, number]);
    },
    close: () => redis.disconnect(),
  };
}
