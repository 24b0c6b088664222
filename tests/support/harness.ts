import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import YAML from 'yaml';
import { allSources } from '../../mappings/index.js';
import { startWorkers } from '../../workers/index.js';
import { loadConfig, sha256Hex } from '../../src/config/load-config.js';
import type { GatewayEnv } from '../../src/gateway/context.js';
import { createApp } from '../../src/gateway/app.js';
import { sourceRegistry, type SourceAdapter } from '../../src/ingest/source.js';
import { type Logger, silentLogger } from '../../src/observability/logger.js';
import { BullQueue } from '../../src/queue/bullmq-queue.js';
import { MemoryQueue } from '../../src/queue/memory-queue.js';
import { QUEUES } from '../../src/queue/names.js';
import { openRuntime } from '../../src/runtime/open-runtime.js';
import type { Runtime } from '../../src/runtime/runtime.js';
import { dropSchema } from '../../src/store/postgres.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from './services.js';

export type Mode = 'embedded' | 'scaled';
export const ADMIN_TOKEN = 'test-admin-token';

export interface HarnessOptions {
  /** The CRADLE_CONFIG document (clients' `token` is hashed here for convenience). */
  config?: Record<string, unknown>;
  workers?: boolean;
  clock?: () => string;
  /** Sources besides the real ones (for testing the ingest machinery itself). */
  extraSources?: SourceAdapter[];
  /** A logger to capture (default: silent). */
  logger?: Logger;
}

export interface Harness {
  mode: Mode;
  rt: Runtime;
  app: Hono<GatewayEnv>;
  request(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  postRecord(source: string, body: unknown, token?: string): Promise<Response>;
  /** Polls until `fn` returns a truthy value (or throws after `timeoutMs`). */
  waitFor<T>(fn: () => Promise<T | undefined | false | null>, timeoutMs?: number): Promise<T>;
  /** Resolves when no work is waiting: queue empty and outbox drained. */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs Cradle in-process against real parts: `scaled` uses the machine's PostgreSQL (a
 * fresh schema) and Redis with BullMQ (a fresh key prefix); `embedded` uses PGlite in a
 * temporary directory and the in-process queue. Only remote EHRs are faked (msw).
 */
export async function startHarness(mode: Mode, options: HarnessOptions = {}): Promise<Harness> {
  const schema = uniqueName('t');
  const prefix = uniqueName('cradle-test');
  const dataDir = mode === 'embedded' ? mkdtempSync(join(tmpdir(), 'cradle-test-')) : undefined;
  const doc = withHashedTokens({ delivery: { attempts: 3, backoffMs: 50 }, queue: { attempts: 3, backoffMs: 50, prefix }, store: { schema }, recovery: { sweepIntervalMs: 0 }, ...options.config });
  const config = loadConfig({
    CRADLE_CONFIG: `${YAML.stringify(doc)}\n`,
    CRADLE_ADMIN_TOKEN: ADMIN_TOKEN,
    ...(mode === 'scaled' ? { DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL } : { CRADLE_DATA_DIR: dataDir }),
  });
  const sources = sourceRegistry([...allSources().values(), ...(options.extraSources ?? [])]);
  const rt = await openRuntime(config, options.logger ?? silentLogger(), { sources, ...(options.clock ? { clock: options.clock } : {}) });
  const stopSweep = options.workers === false ? () => undefined : await startWorkers(rt, QUEUES);
  const app = createApp(rt);

  const request = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const { token = ADMIN_TOKEN, headers, ...rest } = init;
    return Promise.resolve(app.request(path, { ...rest, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(headers as Record<string, string>) } }));
  };
  const waitFor = async <T>(fn: () => Promise<T | undefined | false | null>, timeoutMs = 15_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await fn();
      if (value) return value;
      if (Date.now() > deadline) throw new Error('waitFor timed out');
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return {
    mode,
    rt,
    app,
    request,
    postRecord: (source, body, token) => request(`/ingest/${source}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body), token: token ?? ADMIN_TOKEN,
    }),
    waitFor,
    async settle(timeoutMs = 15_000) {
      await waitFor(async () => {
        // The sweep and the heartbeat tick (on `notify`) are repeatable jobs, always scheduled: not
        // work in flight. Notifications themselves are outbox work, counted below.
        const counts = await Promise.all(QUEUES.filter((q) => q !== 'sweep' && q !== 'notify').map((q) => rt.queue.counts(q)));
        const busy = counts.some((c) => c.waiting + c.active + c.delayed > 0);
        const outbox = Object.values(await rt.work.counts()).reduce((a, b) => a + b, 0);
        const received = (await rt.messages.countByStatus()).received;
        return !busy && outbox === 0 && received === 0;
      }, timeoutMs);
    },
    async close() {
      stopSweep();
      if (rt.queue instanceof BullQueue) await rt.queue.obliterate().catch(() => undefined);
      await rt.close();
      if (mode === 'scaled') await dropSchema(TEST_DATABASE_URL, schema);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (rt.queue instanceof MemoryQueue) await rt.queue.idle();
    },
  };
}

function withHashedTokens(doc: Record<string, unknown>): Record<string, unknown> {
  const clients = (doc.clients as Array<Record<string, unknown>> | undefined)?.map(({ token, ...rest }) => ({
    ...rest, ...(token !== undefined ? { tokenSha256: sha256Hex(String(token)) } : {}),
  }));
  return clients ? { ...doc, clients } : doc;
}
