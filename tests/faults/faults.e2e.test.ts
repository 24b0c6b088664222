import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CradleProcesses } from './support/cradle-processes.js';
import { FaultyRecipient } from './support/faulty-recipient.js';
import { startPrivatePostgres, startPrivateRedis, type PrivatePostgres, type PrivateRedis } from './support/private-services.js';
import { count, formatCounts, settled, totalDuplicated, totalLost, type Counts } from './support/verify.js';
import { families, messages, send, shuffled, type Family, type Message } from './support/workload.js';
import { freePort, sleep, waitFor } from './support/wait.js';

/** Families per scenario: small in CI, large by hand (`npm run faults`, FAULT_SCALE=2000). */
const SCALE = Number(process.env.FAULT_SCALE ?? 20);
const SETTLE_MS = 120_000 + SCALE * 200;
const TOKEN = 'faults-admin-token';
const SCHEMA = 'faults';

/**
 * Fault injection against real PostgreSQL and Redis with `cradle gateway` and `cradle worker`
 * as separate processes. The suite runs its own PostgreSQL cluster and Redis server so it can
 * crash and restart them without disturbing other tests. Each scenario sends a known set of
 * maternity records (each family's baby seen with a bruise: one alert expected), injects one
 * fault while they flow, waits for the engine to settle, then counts from Cradle's store and
 * from what the recipient's EHR holds: every message processed once, every alert once in
 * Cradle and once at the recipient. Nothing lost, nothing duplicated.
 */
describe('fault injection: nothing lost, nothing duplicated', () => {
  let postgres: PrivatePostgres;
  let redis: PrivateRedis;
  let cradle: CradleProcesses;
  const recipient = new FaultyRecipient();
  const results: Counts[] = [];

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
    await recipient.start();
    const port = await freePort();
    const config = [
      `store: { schema: ${SCHEMA} }`,
      // Short backoffs and lock so a CI-sized run takes seconds; the behaviour is the same at the defaults.
      'queue: { prefix: faults, attempts: 10, backoffMs: 200, lockMs: 4000 }',
      'delivery: { attempts: 10, backoffMs: 200 }',
      'recovery: { sweepIntervalMs: 1000, staleAfterMs: 3000 }',
      'limits: { requestsPerMinute: 1000000, burst: 100000 }',
      'recipients:',
      `  - { id: hv, kind: health-visiting, endpoint: { baseUrl: "${recipient.baseUrl}", timeoutMs: 1000 }, routing: { postcodePrefixes: [SO16] } }`,
    ].join('\n');
    cradle = new CradleProcesses({
      ...process.env, CRADLE_USE_SOURCE: '1', PORT: String(port), DATABASE_URL: postgres.url, REDIS_URL: redis.url,
      CRADLE_CONFIG: `${config}\n`, CRADLE_ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn',
    }, `http://127.0.0.1:${port}`);
    await cradle.startGateway();
    cradle.startWorker();
  }, 180_000);

  afterAll(async () => {
    await cradle?.stopAll();
    await recipient.stop();
    await Promise.all([redis?.destroy(), postgres?.destroy()]);
    if (results.length > 0) {
      process.stdout.write(`\nFault injection, ${SCALE} families per scenario:\n${results.map(formatCounts).join('\n')}\n`);
      if (process.env.FAULT_REPORT) writeFileSync(process.env.FAULT_REPORT, `${JSON.stringify({ scale: SCALE, results }, null, 2)}\n`);
    }
  }, 60_000);

  /**
   * Sends `toSend` while `fault` runs (a fault may send more itself, returning its retries),
   * waits for the engine to settle, counts, and checks the counts.
   */
  async function scenario(name: string, fams: Family[], msgs: Message[], toSend: Message[], fault: () => Promise<number | void>): Promise<Counts> {
    recipient.resetCounters();
    const [report, faultRetries] = await Promise.all([send(cradle.gatewayUrl, TOKEN, toSend), fault()]);
    const retries = report.retries + (faultRetries ?? 0);
    let counts = await count(name, postgres.url, SCHEMA, fams, msgs, recipient, retries);
    const deadline = Date.now() + SETTLE_MS;
    while (!settled(counts) && Date.now() < deadline) {
      await sleep(500);
      counts = await count(name, postgres.url, SCHEMA, fams, msgs, recipient, retries);
    }
    // Anything late — a replayed job, a second push — would land now.
    await sleep(2000);
    counts = await count(name, postgres.url, SCHEMA, fams, msgs, recipient, retries);
    results.push(counts);
    process.stdout.write(`${formatCounts(counts)}\n`);
    expect(counts.sent).toBe(new Set(msgs.map((m) => m.sha256)).size);
    expect({ lost: totalLost(counts), duplicated: totalDuplicated(counts), parked: counts.unfinished.parked }).toEqual({ lost: 0, duplicated: 0, parked: 0 });
    expect(counts.processed).toBe(counts.sent);
    expect(cradle.crashes).toBe(0);
    return counts;
  }

  /** Push attempts that failed since the last call, from the AuditEvents Cradle writes for every attempt. */
  let failedBefore = 0;
  async function failedPushes(): Promise<number> {
    const client = new pg.Client({ connectionString: postgres.url, options: `-c search_path=${SCHEMA}` });
    await client.connect();
    try {
      const total = Number((await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM resource WHERE res_type = 'AuditEvent' AND content->>'action' = 'E' AND content->>'outcome' <> '0'`)).rows[0]!.n);
      const delta = total - failedBefore;
      failedBefore = total;
      return delta;
    } finally {
      await client.end();
    }
  }

  const halves = (msgs: Message[]): [Message[], Message[]] => [msgs.slice(0, msgs.length / 2), msgs.slice(msgs.length / 2)];

  /** Resolves once `fraction` of the messages are processed, so a fault lands mid-stream; returns how many were still unfinished. */
  async function whenProcessed(msgs: Message[], fraction: number): Promise<number> {
    const client = new pg.Client({ connectionString: postgres.url, options: `-c search_path=${SCHEMA}` });
    await client.connect();
    try {
      const shas = msgs.map((m) => m.sha256);
      let done = 0;
      await waitFor(async () => {
        done = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM inbound_message WHERE status = 'processed' AND sha256 = ANY($1)`, [shas])).rows[0]!.n);
        return done >= Math.ceil(msgs.length * fraction);
      }, 60_000, 'messages did not start flowing', 20);
      return msgs.length - done;
    } finally {
      await client.end();
    }
  }

  it('a worker killed with SIGKILL mid-stream, and started again', async () => {
    const fams = families(1, SCALE);
    const msgs = messages(fams);
    let unfinishedAtKill = 0;
    await scenario('worker killed (SIGKILL)', fams, msgs, msgs, async () => {
      unfinishedAtKill = await whenProcessed(msgs, 0.2);
      await cradle.killWorkers();
      await sleep(500);
      cradle.startWorker();
    });
    expect(unfinishedAtKill).toBeGreaterThan(0);
  }, SETTLE_MS + 120_000);

  it('Redis restarted, every queued job gone: recovery comes from the inbound store', async () => {
    const fams = families(2, SCALE);
    const msgs = messages(fams);
    const [first, second] = halves(msgs);
    await scenario('redis restarted (empty)', fams, msgs, first, async () => {
      await whenProcessed(first, 0.2);
      // The second half arrives while Redis is down: accepted into the store, queued by nobody.
      const [, report] = await Promise.all([redis.restart(1500), sleep(200).then(() => send(cradle.gatewayUrl, TOKEN, second))]);
      return report.retries;
    });
  }, SETTLE_MS + 120_000);

  it('PostgreSQL crashed and restarted: the gateway answers 503, sources resend, workers retry', async () => {
    const fams = families(3, SCALE);
    const msgs = messages(fams);
    const [first, second] = halves(msgs);
    const counts = await scenario('postgres crashed + restarted', fams, msgs, first, async () => {
      await whenProcessed(first, 0.2);
      // The second half arrives while PostgreSQL is down: refused with 503, so the source resends.
      const [, report] = await Promise.all([postgres.restart(2000), sleep(200).then(() => send(cradle.gatewayUrl, TOKEN, second))]);
      return report.retries;
    });
    expect(counts.retries).toBeGreaterThan(0);
  }, SETTLE_MS + 120_000);

  it('the recipient down for 5 seconds, then back', async () => {
    const fams = families(4, SCALE);
    const msgs = messages(fams);
    await failedPushes();
    await scenario('recipient down 5 s', fams, msgs, msgs, async () => {
      await whenProcessed(msgs, 0.2);
      await recipient.outage(5000);
    });
    expect(await failedPushes()).toBeGreaterThan(0);
  }, SETTLE_MS + 120_000);

  it('a slow recipient: every third answer comes after Cradle has timed out (the push was applied)', async () => {
    const fams = families(5, SCALE);
    const msgs = messages(fams);
    let n = 0;
    recipient.delayMs = () => (n++ % 3 === 0 ? 1500 : 150);
    try {
      const counts = await scenario('recipient slow (1/3 time out)', fams, msgs, msgs, async () => undefined);
      // Timed-out pushes were applied and then sent again: harmless in effect, as counted above.
      expect(counts.pushReplays).toBeGreaterThan(0);
    } finally {
      recipient.delayMs = () => 0;
    }
  }, SETTLE_MS + 120_000);

  it('sources send three versions of each record out of order, and every message twice', async () => {
    const fams = families(6, SCALE);
    const msgs = messages(fams, 3);
    const toSend = shuffled([...msgs, ...msgs], 20261122);
    await scenario('duplicates + out of order', fams, msgs, toSend, async () => undefined);
  }, SETTLE_MS + 120_000);
});
