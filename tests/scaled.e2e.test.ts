import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as netServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Flag } from '../src/fhir/types.js';
import { dropSchema } from '../src/store/postgres.js';
import { packageRoot } from '../src/util/package-root.js';
import { testNhsNumber } from './support/nhs.js';
import { recordWithBruise } from './support/records.js';
import { deleteRedisKeys, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from './support/services.js';

const TOKEN = 'scaled-admin-token';
const freePort = () => new Promise<number>((resolve) => {
  const s = netServer().listen(0, () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

/**
 * The scaled-out deployment of docker-compose.yml, as processes: a `cradle gateway` and a
 * `cradle worker` on the machine's PostgreSQL and Redis, pushing to a recipient that is a
 * real HTTP server. Nothing in-process, nothing faked.
 */
describe('gateway and worker as separate processes on PostgreSQL and Redis', () => {
  const schema = uniqueName('e2e');
  const prefix = uniqueName('e2e');
  const received: Bundle[] = [];
  const procs: ChildProcess[] = [];
  let ehr: Server;
  let gatewayUrl: string;
  let stderr = '';

  beforeAll(async () => {
    ehr = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(JSON.parse(body) as Bundle);
        res.writeHead(200, { 'content-type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'Bundle', type: 'transaction-response' }));
      });
    });
    const ehrPort = await new Promise<number>((r) => ehr.listen(0, () => r((ehr.address() as { port: number }).port)));
    const port = await freePort();
    const workerPort = await freePort();
    gatewayUrl = `http://127.0.0.1:${port}`;
    const config = [
      `store: { schema: ${schema} }`,
      `queue: { prefix: ${prefix} }`,
      'recipients:',
      `  - { id: hv, kind: health-visiting, endpoint: { baseUrl: "http://127.0.0.1:${ehrPort}/fhir" }, routing: { postcodePrefixes: [SO16] } }`,
    ].join('\n');
    const env = { ...process.env, CRADLE_USE_SOURCE: '1', PORT: String(port), DATABASE_URL: TEST_DATABASE_URL, REDIS_URL: TEST_REDIS_URL,
      CRADLE_CONFIG: `${config}\n`, CRADLE_ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn' };
    for (const [command, extra] of [['gateway', {}], ['worker', { METRICS_PORT: String(workerPort) }]] as const) {
      const child = spawn(process.execPath, [join(packageRoot, 'bin/cradle.js'), command], { env: { ...env, ...extra }, stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
      procs.push(child);
    }
    // Both processes must be up before the test: the gateway answers /readyz, and the worker
    // opens its metrics port only once its queue consumers have started. On a loaded CI
    // machine a worker can take many seconds to boot, and the test's own wait is for the
    // pipeline, not for process start-up.
    const deadline = Date.now() + 80_000;
    for (const url of [`${gatewayUrl}/readyz`, `http://127.0.0.1:${workerPort}/healthz`]) {
      while (!(await fetch(url).then((r) => r.ok, () => false))) {
        const dead = procs.find((p) => p.exitCode !== null);
        if (dead) throw new Error(`a cradle process exited with ${dead.exitCode}: ${stderr.slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`not ready: ${url}; stderr: ${stderr.slice(-2000)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  }, 90_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => new Promise((r) => {
      if (p.exitCode !== null) return r(null);
      p.once('exit', r);
      p.kill('SIGTERM');
    })));
    ehr?.close();
    await Promise.all([dropSchema(TEST_DATABASE_URL, schema), deleteRedisKeys(prefix)]);
  });

  it('takes a record at the gateway, and the worker raises and pushes the alert', async () => {
    const res = await fetch(`${gatewayUrl}/ingest/maternity`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(recordWithBruise({ recordId: 'E2E-1', motherNhs: testNhsNumber(60), babyNhs: testNhsNumber(61), ageDays: 42 })),
    });
    expect(res.status).toBe(202);
    const deadline = Date.now() + 40_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(received.length, `nothing pushed to the recipient; process stderr: ${stderr.slice(-2000)}`).toBeGreaterThan(0);
    const flag = received[0]?.entry?.find((e) => e.resource?.resourceType === 'Flag')?.resource as Flag | undefined;
    expect(flag?.code.coding?.[0]?.code).toBe('bruising-non-mobile-infant');
    expect(flag?.status).toBe('active');
  }, 60_000);
});
