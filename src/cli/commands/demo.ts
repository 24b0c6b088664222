import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import YAML from 'yaml';
import { allSources } from '../../../mappings/index.js';
import { startWorkers } from '../../../workers/index.js';
import { loadConfig, sha256Hex } from '../../config/load-config.js';
import { demoFamilies } from '../../demo/families.js';
import type { DemoMessage } from '../../demo/messages.js';
import { alertLines } from '../../demo/print-alerts.js';
import { startStandInEhr, type StandInEhr } from '../../demo/stand-in-ehr.js';
import type { Bundle, Flag } from '../../fhir/types.js';
import { warmValidator } from '../../fhir/validator.js';
import { serveGateway } from '../../gateway/server.js';
import { createLogger } from '../../observability/logger.js';
import { openRuntime } from '../../runtime/open-runtime.js';
import type { Runtime } from '../../runtime/runtime.js';
import { QUEUES } from '../../queue/names.js';
import { parse, UsageError } from '../args.js';
import { ProgressBar } from '../progress.js';
import { VERSION } from '../version.js';

const DOWN = 'hv-eastleigh';

/**
 * `cradle demo`: Cradle on the embedded store in a temporary directory, with stand-in health
 * visiting and GP systems, loaded with synthetic families from every source through the real
 * HTTP API; prints the alerts, then the dashboard's address with a sign-in link, and keeps
 * running until Ctrl-C (`--exit` stops after printing, for tests).
 */
export async function demo(argv: string[]): Promise<number | undefined> {
  const { values } = parse(argv, { port: { type: 'string' }, exit: { type: 'boolean' }, data: { type: 'string' } });
  const port = Number(values.port ?? process.env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a port number');
  if (port !== 0 && !(await portFree(port))) throw new UsageError(`port ${port} is in use: choose another with --port N`);
  const started = Date.now();
  const dataDir = values.data ? resolve(String(values.data)) : mkdtempSync(join(tmpdir(), 'cradle-demo-'));
  mkdirSync(dataDir, { recursive: true });
  const tokens = { admin: randomBytes(18).toString('base64url'), commissioner: randomBytes(18).toString('base64url') };
  const ehr = await startStandInEhr([DOWN]);
  const logFile = join(dataDir, 'cradle.log');
  const rt = await openRuntime(demoConfig(port, dataDir, tokens, ehr), createLogger(process.env.LOG_LEVEL || 'info', createWriteStream(logFile, { flags: 'a' })),
    { sources: allSources(), processMetrics: true });
  warmValidator();
  const stopSweep = await startWorkers(rt, QUEUES);
  const server = await serveGateway(rt, port, VERSION);
  const base = `http://127.0.0.1:${server.port}`;
  const shutdown = async () => {
    stopSweep();
    await server.close();
    await rt.close();
    await ehr.close();
    if (!values.data) rmSync(dataDir, { recursive: true, force: true });
  };
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    shutdown().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const out = process.stdout;
    out.write(`Cradle ${VERSION} demo — embedded store in ${dataDir}${values.data ? '' : ' (removed on exit)'}, log ${logFile}\n`);
    const load = demoFamilies(new Date().toISOString());
    for (const [i, wave] of load.waves.entries()) {
      await send(base, tokens.admin, wave, i === 0 ? `${load.families} families: maternity` : 'GP, social care, NEMS');
      if (!(await settled(rt, 45_000))) out.write('  (still processing; the figures below may be incomplete)\n');
    }
    await report(base, tokens, ehr, server.port, started);
    if (values.exit) {
      stopping = true;
      await shutdown();
      return 0;
    }
    out.write('\nRunning until Ctrl-C.\n');
  } catch (err) {
    stopping = true;
    await shutdown();
    throw err;
  }
  return undefined;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer();
    probe.once('error', () => resolvePort(false));
    probe.listen(port, '0.0.0.0', () => probe.close(() => resolvePort(true)));
  });
}

/** The alerts, where the views went, and how to look: dashboard link, metrics, API, replay. */
async function report(base: string, tokens: { admin: string; commissioner: string }, ehr: StandInEhr, port: number, started: number): Promise<void> {
  const out = process.stdout;
  const flags = await activeFlags(base, tokens.admin);
  const rules = new Set(flags.map((f) => f.code.coding?.[0]?.code));
  out.write(`\nAlerts: ${flags.length} active, from ${rules.size} rules (${((Date.now() - started) / 1000).toFixed(1)} s since start)\n`);
  for (const line of alertLines(flags, !!out.isTTY)) out.write(`${line}\n`);
  out.write(`\nDelivered to the stand-in systems: ${[...ehr.received].map(([r, n]) => `${r} ${n}`).join(', ') || 'nothing yet'}`
    + ` (${DOWN} is down on purpose: its deliveries are retried, then parked)\n`);
  const shown = `http://localhost:${port}`;
  out.write(`
Dashboard (commissioner):  ${shown}/dashboard?token=${tokens.commissioner}
Prometheus metrics:        curl -H 'Authorization: Bearer ${tokens.commissioner}' ${shown}/metrics
FHIR API (admin):          curl -H 'Authorization: Bearer ${tokens.admin}' '${shown}/fhir/Flag?status=active'
Operators (admin):         CRADLE_URL=${shown} CRADLE_TOKEN=${tokens.admin} npx cradle replay --rejected
`);
}

function demoConfig(port: number, dataDir: string, tokens: { admin: string; commissioner: string }, ehr: StandInEhr) {
  const recipient = (id: string, kind: string, name: string, routing: Record<string, string[]>) => ({ id, kind, name, endpoint: { baseUrl: ehr.url(id), timeoutMs: 2000 }, routing });
  const doc = {
    clients: [{ id: 'demo-commissioner', tokenSha256: sha256Hex(tokens.commissioner), roles: ['commissioner'] }],
    recipients: [
      recipient('hv-southampton', 'health-visiting', 'Southampton Health Visiting (demo)', { postcodePrefixes: ['SO14', 'SO15', 'SO16', 'SO17'] }),
      recipient(DOWN, 'health-visiting', 'Eastleigh Health Visiting (demo, offline)', { postcodePrefixes: ['SO50'] }),
      recipient('gp-j82001', 'gp-practice', 'Shirley Health Partnership (demo)', { gpPractices: ['J82001'] }),
    ],
    delivery: { attempts: 3, backoffMs: 200 },
  };
  return loadConfig({ PORT: String(port), CRADLE_DATA_DIR: dataDir, CRADLE_ADMIN_TOKEN: tokens.admin, CRADLE_CONFIG: `${YAML.stringify(doc)}\n`, LOG_LEVEL: process.env.LOG_LEVEL });
}

/** POSTs each message through the real ingest API, with a progress bar. */
async function send(base: string, token: string, messages: DemoMessage[], label: string): Promise<void> {
  const bar = new ProgressBar(messages.length, `loading ${label}`);
  const surprises: string[] = [];
  for (const m of messages) {
    const res = await fetch(`${base}/ingest/${m.source}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': m.contentType }, body: m.body });
    await res.arrayBuffer();
    const refused = res.status >= 400;
    if (refused !== !!m.expectRejected) surprises.push(`${m.label}: ${res.status}`);
    bar.tick(!refused);
  }
  bar.finish();
  for (const s of surprises) process.stderr.write(`  unexpected answer — ${s}\n`);
}

/** True once nothing is waiting: no message to map, no outbox item, no job queued or running. */
async function settled(rt: Runtime, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const counts = await Promise.all((['map', 'assess', 'deliver'] as const).map((q) => rt.queue.counts(q)));
    const outbox = Object.values(await rt.work.counts()).reduce((a, b) => a + b, 0);
    if (counts.every((c) => c.waiting + c.active + c.delayed === 0) && outbox === 0 && (await rt.messages.countByStatus()).received === 0) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function activeFlags(base: string, token: string): Promise<Flag[]> {
  const res = await fetch(`${base}/fhir/Flag?status=active&_count=500`, { headers: { authorization: `Bearer ${token}` } });
  const bundle = (await res.json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as Flag);
}
