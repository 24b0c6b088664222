import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { packageRoot } from '../../src/util/package-root.js';
import { sleep } from '../../tests/faults/support/wait.js';
import { ADMIN_TOKEN, startCradle } from '../pipeline/cradle-stack.js';
import { ViewRecipient } from '../pipeline/recipient.js';
import { int, machine } from '../support/format.js';
import { onInterrupt, runMeasured, type ProcessGroup } from '../support/processes.js';
import { cleanUp, DATABASE_URL, uniqueName } from '../support/services.js';
import { writeCinReturn, writeMaternityBackfill } from './generate.js';

/**
 * bench/bulk: what an integration team does on go-live — a whole CIN census return and a
 * maternity backfill, each submitted with `cradle ingest` to a running Cradle (gateway +
 * worker processes on this machine's PostgreSQL and Redis), timed until every message is
 * processed, with the peak memory of the CLI and of each engine process.
 *
 *   node --import tsx bench/bulk/run.ts [--records N] [--children N] [--workers N] [--json] [--smoke]
 *
 * Defaults: 100,000 maternity records, a 10,000-child CIN return. Results: bench/README.md.
 */
const { values } = parseArgs({
  options: {
    records: { type: 'string' },
    children: { type: 'string' },
    workers: { type: 'string' },
    json: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
  },
});
const smoke = values.smoke;
const records = Number(values.records ?? (smoke ? 40 : 100_000));
const children = Number(values.children ?? (smoke ? 20 : 10_000));
const workers = Number(values.workers ?? 1);
if (![records, children, workers].every((n) => Number.isInteger(n) && n >= 1)) {
  console.error('usage: run.ts [--records N] [--children N] [--workers N] [--json] [--smoke]');
  process.exit(2);
}
const timeoutMs = smoke ? 60_000 : 3 * 3_600_000;
const log = (msg: string) => { if (!values.json) console.error(msg); };

interface BulkResult {
  label: string;
  messages: number;
  files: number;
  /** `cradle ingest` from start to exit: every message accepted (202) or already held. */
  ingestSeconds: number;
  acceptedPerSecond: number;
  /** From the start of `cradle ingest` until the last message is processed. */
  processedSeconds: number;
  processedPerSecond: number;
  status: Record<string, number>;
  peakRssMiB: Record<string, number>;
}

const work = mkdtempSync(join(tmpdir(), 'cradle-bulk-'));
const schema = uniqueName('bulk');
const prefix = uniqueName('bulk');
const recipient = new ViewRecipient();
onInterrupt(() => cleanUp({ schema, prefix }));
let processes: ProcessGroup | undefined;
let code = 0;
try {
  log(`generating ${records} maternity records and a ${children}-child CIN census return…`);
  const maternityDir = join(work, 'maternity');
  writeMaternityBackfill(maternityDir, records, 500_000);
  const cinFile = join(work, 'cin-census.xml');
  await writeCinReturn(cinFile, children);

  await recipient.start();
  const stack = await startCradle({ schema, prefix, workers, recipientBase: (id) => recipient.baseUrl(id) });
  processes = stack.processes;
  const env = { ...process.env, CRADLE_URL: stack.url, CRADLE_TOKEN: ADMIN_TOKEN };
  const cli = join(packageRoot, 'bin/cradle.js');

  const results: BulkResult[] = [];
  for (const [label, source, target, files, messages] of [
    [`CIN census return (${children} children, one file)`, 'cin-census', cinFile, 1, children],
    [`maternity backfill (${records} records, one file each)`, 'maternity', maternityDir, records, records],
  ] as const) {
    log(`cradle ingest --source ${source}…`);
    const ran = await runMeasured([cli, 'ingest', '--source', source, target], env);
    if (ran.code !== 0) throw new Error(`cradle ingest --source ${source} exited ${ran.code}: ${ran.output}`);
    const started = Date.now() - ran.ms;
    const status = await awaitProcessed(source, messages, stack.processes);
    const processedSeconds = (status.lastUpdatedAt - started) / 1000;
    results.push({
      label, messages, files,
      ingestSeconds: ran.ms / 1000,
      acceptedPerSecond: messages / (ran.ms / 1000),
      processedSeconds,
      processedPerSecond: messages / processedSeconds,
      status: status.counts,
      peakRssMiB: { 'cradle ingest': ran.peakRssMiB, ...stack.processes.peakRssMiB() },
    });
  }
  const host = machine();
  console.log(values.json ? JSON.stringify({ machine: host, workers, results }, null, 2) : table(results, host));
  if (results.some((r) => (r.status.processed ?? 0) !== r.messages)) code = 1;
} catch (err) {
  console.error(`bench/bulk failed: ${(err as Error).message}`);
  code = 1;
} finally {
  await processes?.stopAll();
  await recipient.stop();
  await cleanUp({ schema, prefix });
  rmSync(work, { recursive: true, force: true });
}
process.exit(code);

/**
 * Waits until `expected` messages of `source` are stored and none is still `received`; their
 * status counts and last update (the times reported come from the store, not the poll).
 * Polls what is still waiting every 10 s and counts everything only at the end: counting
 * 100,000 rows four times a second took half a core from the engine being measured, and
 * even the waiting count costs ~0.3 s at that size.
 */
async function awaitProcessed(source: string, expected: number, group: ProcessGroup): Promise<{ counts: Record<string, number>; lastUpdatedAt: number }> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const waiting = (await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${schema}.inbound_message WHERE status = 'received' AND source = $1`, [source])).rows[0]!.n;
      if (waiting === 0) {
        const { rows } = await client.query<{ status: string; n: number; last: Date }>(
          `SELECT status, count(*)::int AS n, max(updated_at) AS last FROM ${schema}.inbound_message WHERE source = $1 GROUP BY status`, [source]);
        const counts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
        if (rows.reduce((n, r) => n + r.n, 0) >= expected && !counts.received) {
          return { counts, lastUpdatedAt: Math.max(...rows.map((r) => r.last.getTime())) };
        }
      }
      if (group.crashed.length > 0) throw new Error(`Cradle processes crashed: ${group.crashed.join(', ')}`);
      if (Date.now() > deadline) throw new Error(`${source}: ${waiting} of ${expected} messages still unprocessed after ${timeoutMs} ms`);
      await sleep(smoke ? 250 : 10_000);
    }
  } finally {
    await client.end();
  }
}

function table(results: BulkResult[], m: { cpus: number; model: string; node: string }): string {
  return [
    `${m.cpus} × ${m.model}, Node ${m.node}; cradle gateway + ${workers} cradle worker process(es) on PostgreSQL and Redis; \`cradle ingest\` with its default 8 requests in flight`,
    '',
    '| | accepted in (s) | accepted/s | all processed in (s) | processed/s | outcome | peak RSS MiB |',
    '|---|---:|---:|---:|---:|---|---|',
    ...results.map((r) => `| ${r.label} | ${r.ingestSeconds.toFixed(1)} | ${int(r.acceptedPerSecond)} | ${r.processedSeconds.toFixed(1)} | ${int(r.processedPerSecond)} | `
      + `${Object.entries(r.status).map(([k, v]) => `${v} ${k}`).join(', ')} | ${Object.entries(r.peakRssMiB).map(([k, v]) => `${k} ${int(v)}`).join('; ')} |`),
  ].join('\n');
}
