import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allSources } from '../mappings/index.js';
import { loadConfig } from '../src/config/load-config.js';
import { createApp } from '../src/gateway/app.js';
import { silentLogger } from '../src/observability/logger.js';
import { BullQueue } from '../src/queue/bullmq-queue.js';
import { QUEUES } from '../src/queue/names.js';
import { openRuntime } from '../src/runtime/open-runtime.js';
import { startWorkers } from '../workers/index.js';
import { ADMIN_TOKEN, startHarness } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { recordWithBruise } from './support/records.js';

const flagCount = async (rt: { db: { query: <T>(s: string) => Promise<{ rows: T[] }> } }) =>
  (await rt.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource WHERE res_type = 'Flag' AND NOT deleted`)).rows[0]!.n;

describe('recovery from the inbound store and the outbox', () => {
  it('processes accepted messages and pending assessments after Redis lost every job', async () => {
    const h = await startHarness('scaled', { workers: false });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await h.postRecord('maternity', recordWithBruise({ recordId: `R-${i}`, motherNhs: testNhsNumber(40 + 2 * i), babyNhs: testNhsNumber(41 + 2 * i), ageDays: 20 }));
        expect(res.status).toBe(202);
      }
      // Redis restarts with nothing on disk: every queued job is gone.
      await (h.rt.queue as BullQueue).obliterate();
      expect((await h.rt.queue.counts('map')).waiting).toBe(0);
      // Map only; then lose the assess jobs it queued too.
      const stopMapOnly = await startWorkers(h.rt, ['map']);
      await h.waitFor(async () => (await h.rt.messages.countByStatus()).processed === 3);
      stopMapOnly();
      await (h.rt.queue as BullQueue).obliterate();
      expect(await flagCount(h.rt)).toBe(0);
      expect((await h.rt.work.counts()).assess).toBe(3);
      // A new worker process starts: it re-queues the outbox and finishes the work.
      const stop = await startWorkers(h.rt, ['assess', 'deliver']);
      await h.waitFor(async () => (await flagCount(h.rt)) === 3);
      stop();
    } finally {
      await h.close();
    }
  });

  it('on the embedded store, finishes after a restart what was accepted before it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cradle-recovery-'));
    const env = { CRADLE_DATA_DIR: dataDir, CRADLE_ADMIN_TOKEN: ADMIN_TOKEN, CRADLE_CONFIG: 'recovery: { sweepIntervalMs: 0 }\n' };
    try {
      const first = await openRuntime(loadConfig(env), silentLogger(), { sources: allSources() });
      const app = createApp(first);
      const res = await app.request('/ingest/maternity', {
        method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(recordWithBruise({ recordId: 'R-EMB', motherNhs: testNhsNumber(50), babyNhs: testNhsNumber(51), ageDays: 20 })),
      });
      expect(res.status).toBe(202);
      await first.close(); // the process dies with the job in its in-memory queue
      const second = await openRuntime(loadConfig(env), silentLogger(), { sources: allSources() });
      const stop = await startWorkers(second, QUEUES);
      const deadline = Date.now() + 15_000;
      while ((await flagCount(second)) < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(await flagCount(second)).toBe(1);
      stop();
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
