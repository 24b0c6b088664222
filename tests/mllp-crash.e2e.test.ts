import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema } from '../src/store/postgres.js';
import { packageRoot } from '../src/util/package-root.js';
import { adtPerson, ER7 } from './support/hl7.js';
import { MllpClient, msa } from './support/mllp-client.js';
import { deleteRedisKeys, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from './support/services.js';

const TOKEN = 'mllp-crash-admin-token';
const TOTAL = 1000;
const KILL_AFTER = 150;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const message = (i: number) => adtPerson('A28', { controlId: `CRASH-${String(i).padStart(4, '0')}`, at: '20261122100000', patient: { localId: `GP-CRASH-${i}` } });

/**
 * `cradle start` in a child process with MLLP on; a sender streams 1,000 messages over
 * one connection; the engine is killed with SIGKILL mid-stream and started again on the
 * same store. Every message that was ACKed before the kill must be in the store: sending
 * its bytes again is answered as already had.
 */
describe.each(['embedded', 'scaled'] as const)('MLLP: killing the engine mid-stream loses no ACKed message (%s)', (mode) => {
  let engine: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;
  let dataDir: string;
  const schema = uniqueName('crash');
  let httpPort = 0;
  let mllpPort = 0;

  const startEngine = async () => {
    engine = spawn(process.execPath, [join(packageRoot, 'bin/cradle.js'), 'start'], { env, stdio: 'ignore' });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (await fetch(`http://127.0.0.1:${httpPort}/readyz`).then((r) => r.ok, () => false)) return;
      if (Date.now() > deadline) throw new Error('cradle start did not become ready');
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const stopEngine = async (signal: NodeJS.Signals) => {
    if (!engine || engine.exitCode !== null || engine.signalCode !== null) return;
    const exited = new Promise((r) => engine!.once('exit', r));
    engine.kill(signal);
    await exited;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cradle-mllp-crash-'));
    [httpPort, mllpPort] = [await freePort(), await freePort()];
    const scaled = mode === 'scaled'
      ? { DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL, CRADLE_CONFIG: `store: { schema: ${schema} }\nqueue: { prefix: ${schema} }\n` }
      : { DATABASE_URL: '', REDIS_URL: '' };
    env = { ...process.env, CRADLE_USE_SOURCE: '1', PORT: String(httpPort), MLLP_PORT: String(mllpPort), MLLP_HOST: '127.0.0.1',
      CRADLE_DATA_DIR: dataDir, CRADLE_ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'error', ...scaled };
    await startEngine();
  }, 90_000);

  afterAll(async () => {
    await stopEngine('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
    // A SIGKILLed engine never obliterates its queues: drop its keys as well as its schema.
    if (mode === 'scaled') await Promise.all([dropSchema(TEST_DATABASE_URL, schema), deleteRedisKeys(schema)]).catch(() => undefined);
  });

  it('finds every ACKed message in the store after a SIGKILL and restart', async () => {
    const client = await MllpClient.open(mllpPort);
    const messages = Array.from({ length: TOTAL }, (_, i) => message(i));
    const sending = client.send(messages);
    await client.waitForAcks(KILL_AFTER, 60_000);
    await stopEngine('SIGKILL');
    await sending;
    await client.waitForAcks(TOTAL, 5_000);
    const acked = client.acks.map((a) => msa(a));
    client.close();
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acked.length).toBeLessThan(TOTAL);
    expect(acked.every((a, i) => a.code === 'AA' && a.controlId === `CRASH-${String(i).padStart(4, '0')}`)).toBe(true);

    await startEngine();
    const resend = async (i: number) => {
      const res = await fetch(`http://127.0.0.1:${httpPort}/ingest/gp-hl7v2`, {
        method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': ER7 }, body: messages[i],
      });
      return res.status;
    };
    const statuses = [];
    for (let i = 0; i < acked.length; i++) statuses.push(await resend(i));
    // 200: the same bytes were already stored, under the same message id.
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // A message never ACKed may or may not have been stored; one well past the kill was not.
    expect(await resend(TOTAL - 1)).toBe(202);
  }, 240_000);
});
