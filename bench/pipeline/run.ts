import { parseArgs } from 'node:util';
import { int, machine as machineInfo } from '../support/format.js';
import type { Distribution } from '../support/stats.js';
import { runPipelineBench, type PipelineOptions, type PipelineResult } from './run-pipeline.js';

/**
 * bench/pipeline: Cradle end to end (gateway + workers as processes on this machine's
 * PostgreSQL and Redis) at full speed and at a fixed rate, beside a no-op three-stage
 * BullMQ pipeline fed the same payloads.
 *
 *   node --import tsx bench/pipeline/run.ts [--messages N] [--rate N] [--seconds N] [--workers N | --by-stage] [--json] [--smoke]
 *
 * Runs the build (dist/) as production does; `npm run bench` builds first. Results and
 * how to read them: bench/README.md.
 */
const { values } = parseArgs({
  options: {
    messages: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    rate: { type: 'string' },
    seconds: { type: 'string' },
    workers: { type: 'string' },
    'by-stage': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
  },
});

const smoke = values.smoke;
const num = (v: string | undefined, full: number, small: number) => Number(v ?? (smoke ? small : full));
const opts: PipelineOptions = {
  warmup: num(values.warmup, 1000, 20),
  fullSpeed: num(values.messages, 10_000, 60),
  concurrency: num(values.concurrency, 32, 8),
  rate: num(values.rate, 200, 20),
  rateSeconds: num(values.seconds, 30, 2),
  workers: num(values.workers, 1, 1),
  timeoutMs: smoke ? 60_000 : 600_000,
};
const byStage = values['by-stage'];
for (const [k, v] of Object.entries(opts)) {
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${k} must be a positive integer; usage: run.ts [--messages N] [--rate N] [--seconds N] [--workers N] [--json] [--smoke]`);
    process.exit(2);
  }
}

/** The issue's targets (issue 10). */
export const TARGETS = { perSecond: 2000, ratio: 0.35, p99DeliveredAtRateMs: 250, rssMiB: 300 } as const;

if (!values.json) console.error(`pipeline bench: ${opts.warmup} warm-up, ${opts.fullSpeed} at full speed (${opts.concurrency} in flight), ${opts.rate}/s for ${opts.rateSeconds} s, ${byStage ? 'a worker process per stage' : `${opts.workers} worker process(es)`}…`);
const result = await runPipelineBench({ ...opts, byStage });
const machine = machineInfo();
console.log(values.json ? JSON.stringify({ machine, targets: TARGETS, ...result }, null, 2) : table(result, machine));
// The stacks are stopped; pools and agents left open by libraries must not keep the bench alive.
process.exit(result.cradle.notProcessed === 0 ? 0 : 1);

function table(r: PipelineResult, m: typeof machine): string {
  const c = r.cradle;
  const maxRss = Math.max(...Object.values(c.peakRssMiB), ...Object.values(r.noop.peakRssMiB));
  const met = (ok: boolean) => (ok ? 'met' : 'missed');
  const ms = (d: Distribution) => `${int(d.p50)} / ${int(d.p99)}`;
  return [
    `${m.cpus} × ${m.model}, Node ${m.node}; ${r.options.byStage ? "a cradle worker process per stage (map; assess; deliver)" : `${r.options.workers} cradle worker process(es)`} beside one gateway; PostgreSQL and Redis on the same machine`,
    '',
    '| | Cradle | no-op BullMQ | target |',
    '|---|---:|---:|---:|',
    `| full speed, messages/s (${c.fullSpeed.messages} messages, ${r.options.concurrency} in flight) | ${int(c.fullSpeed.perSecond)} | ${int(r.noop.perSecond)} | ${int(TARGETS.perSecond)} ${met(c.fullSpeed.perSecond >= TARGETS.perSecond)} |`,
    `| Cradle / no-op | **${r.ratio.toFixed(2)}** | | ${TARGETS.ratio} ${met(r.ratio >= TARGETS.ratio)} |`,
    `| accepted (202) per second at full speed | ${int(c.fullSpeed.acceptedPerSecond)} | | |`,
    `| full speed: ingest → processed p50 / p99 ms | ${ms(c.fullSpeed.processed)} | ${ms(r.noop.processed)} | |`,
    `| full speed: ingest → view delivered p50 / p99 ms | ${ms(c.fullSpeed.delivered)} | | |`,
    `| ${c.fixedRate.perSecond}/s for ${r.options.rateSeconds} s: ingest → processed p50 / p99 ms | ${ms(c.fixedRate.processed)} | | |`,
    `| ${c.fixedRate.perSecond}/s: ingest → view delivered p50 / p99 ms | ${ms(c.fixedRate.delivered)} | | < ${TARGETS.p99DeliveredAtRateMs} p99 ${met(c.fixedRate.delivered.p99 < TARGETS.p99DeliveredAtRateMs)} |`,
    `| peak RSS MiB per process | ${rss(c.peakRssMiB)} | ${rss(r.noop.peakRssMiB)} | < ${TARGETS.rssMiB} ${met(maxRss < TARGETS.rssMiB)} |`,
    `| CPU ms per message at full speed | ${cpu(c.fullSpeed.cpuMsPerMessage)} | ${cpu(r.noop.cpuMsPerMessage)} | |`,
    '',
    `Every message processed: ${c.notProcessed === 0 ? 'yes' : `NO — ${c.notProcessed} not processed`}; views pushed: ${c.views}.`,
  ].join('\n');
}

function rss(byProcess: Record<string, number>): string {
  return Object.entries(byProcess).map(([k, v]) => `${k} ${int(v)}`).join('; ');
}

function cpu(byProcess: Record<string, number>): string {
  return Object.entries(byProcess).map(([k, v]) => `${k} ${v.toFixed(2)}`).join('; ');
}
