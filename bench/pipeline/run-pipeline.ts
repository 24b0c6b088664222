import { onInterrupt, ProcessGroup, serviceCpuSeconds } from '../support/processes.js';
import { cleanUp, uniqueName } from '../support/services.js';
import { distribution, type Distribution } from '../support/stats.js';
import { awaitOutcome, latest } from './cradle-outcome.js';
import { ADMIN_TOKEN, startCradle } from './cradle-stack.js';
import { sendAll } from './load.js';
import { NOOP_TOKEN, startNoop } from './noop-stack.js';
import { ViewRecipient } from './recipient.js';
import { workload, type BenchMessage } from './workload.js';

export interface PipelineOptions {
  /** Messages sent first and not measured: JIT, validator compilation, connection pools. */
  warmup: number;
  /** Messages in the full-speed run. */
  fullSpeed: number;
  /** Requests in flight during the full-speed run. */
  concurrency: number;
  /** The fixed rate (messages/s) and how long it is held. */
  rate: number;
  rateSeconds: number;
  /** `cradle worker` processes (and no-op worker processes) beside the one gateway. */
  workers: number;
  /** One Cradle worker process per stage instead (`--by-stage`), to tell CPU per message by stage. */
  byStage?: boolean;
  /** How long a phase may take to finish before the run is declared failed. */
  timeoutMs: number;
}

export interface PipelineResult {
  options: PipelineOptions;
  cradle: {
    fullSpeed: { messages: number; perSecond: number; acceptedPerSecond: number; processed: Distribution; delivered: Distribution;
      /** CPU milliseconds per message in each process (and the shared services) during the full-speed run. */
      cpuMsPerMessage: Record<string, number> };
    fixedRate: { messages: number; perSecond: number; processed: Distribution; delivered: Distribution };
    /** Stored messages that did not end `processed` (must be 0), and views pushed in all. */
    notProcessed: number;
    views: number;
    peakRssMiB: Record<string, number>;
  };
  noop: { messages: number; perSecond: number; processed: Distribution; cpuMsPerMessage: Record<string, number>; peakRssMiB: Record<string, number> };
  /** Cradle's sustained full-speed rate over the no-op pipeline's, same payloads, same process shape. */
  ratio: number;
}

/**
 * End to end on this machine: Cradle as separate gateway and worker processes on the
 * machine's PostgreSQL and Redis, fed a generated mix at full speed then at a fixed rate;
 * then, in the same run, the no-op three-stage BullMQ pipeline fed the same full-speed
 * payloads. Every process, schema and Redis key it makes is removed, even on failure.
 */
export async function runPipelineBench(opts: PipelineOptions): Promise<PipelineResult> {
  const nhs = nhsRanges();
  const warm = workload(opts.warmup, nhs(opts.warmup));
  const full = workload(opts.fullSpeed, nhs(opts.fullSpeed));
  const rated = workload(opts.rate * opts.rateSeconds, nhs(opts.rate * opts.rateSeconds));
  const cradle = await runCradle(opts, warm, full, rated);
  const noop = await runNoop(opts, warm, full);
  return { options: opts, cradle, noop, ratio: cradle.fullSpeed.perSecond / noop.perSecond };
}

async function runCradle(opts: PipelineOptions, warm: BenchMessage[], full: BenchMessage[], rated: BenchMessage[]): Promise<PipelineResult['cradle']> {
  const schema = uniqueName('bench');
  const prefix = uniqueName('bench');
  onInterrupt(() => cleanUp({ schema, prefix }));
  const recipient = new ViewRecipient();
  let processes: ProcessGroup | undefined;
  try {
    await recipient.start();
    const stack = await startCradle({ schema, prefix, workers: opts.workers, byStage: opts.byStage, recipientBase: (id) => recipient.baseUrl(id) });
    processes = stack.processes;
    const phase = async (messages: BenchMessage[], mode: Parameters<typeof sendAll>[3]) => {
      const load = await sendAll(stack.url, ADMIN_TOKEN, messages, mode);
      const outcome = await awaitOutcome(schema, messages, load.sent, recipient, opts.timeoutMs);
      if (stack.processes.crashed.length > 0) throw new Error(`Cradle processes crashed: ${stack.processes.crashed.join(', ')}`);
      return { load, outcome };
    };
    const warmed = await phase(warm, { kind: 'full', concurrency: opts.concurrency });
    const before = cpuNow(stack.processes);
    const fast = await phase(full, { kind: 'full', concurrency: opts.concurrency });
    const cpuMsPerMessage = cpuPerMessage(before, cpuNow(stack.processes), full.length);
    const steady = await phase(rated, { kind: 'rate', perSecond: opts.rate });
    const peakRssMiB = stack.processes.peakRssMiB();
    return {
      fullSpeed: {
        messages: full.length,
        perSecond: full.length / ((fast.outcome.lastDoneAt - fast.load.startedAt) / 1000),
        acceptedPerSecond: full.length / ((latest(fast.load.sent.map((s) => s.ackedAt)) - fast.load.startedAt) / 1000),
        processed: distribution(fast.outcome.ingestToProcessed),
        delivered: distribution(fast.outcome.ingestToDelivered),
        cpuMsPerMessage,
      },
      fixedRate: {
        messages: rated.length,
        perSecond: opts.rate,
        processed: distribution(steady.outcome.ingestToProcessed),
        delivered: distribution(steady.outcome.ingestToDelivered),
      },
      notProcessed: warmed.outcome.notProcessed + fast.outcome.notProcessed + steady.outcome.notProcessed,
      views: recipient.views,
      peakRssMiB,
    };
  } finally {
    await processes?.stopAll();
    await recipient.stop();
    await cleanUp({ schema, prefix });
  }
}

async function runNoop(opts: PipelineOptions, warm: BenchMessage[], full: BenchMessage[]): Promise<PipelineResult['noop']> {
  const prefix = uniqueName('bench_noop');
  onInterrupt(() => cleanUp({ prefix }));
  let stack: Awaited<ReturnType<typeof startNoop>> | undefined;
  try {
    stack = await startNoop({ prefix, workers: opts.workers });
    await sendAll(stack.url, NOOP_TOKEN, warm, { kind: 'full', concurrency: opts.concurrency });
    await stack.waitDone(warm.length, opts.timeoutMs);
    const before = cpuNow(stack.processes);
    const load = await sendAll(stack.url, NOOP_TOKEN, full, { kind: 'full', concurrency: opts.concurrency });
    const done = await stack.waitDone(full.length, opts.timeoutMs);
    const cpuMsPerMessage = cpuPerMessage(before, cpuNow(stack.processes), full.length);
    if (stack.processes.crashed.length > 0) throw new Error(`no-op processes crashed: ${stack.processes.crashed.join(', ')}`);
    return {
      messages: full.length,
      perSecond: full.length / ((latest(done.map(([, at]) => at)) - load.startedAt) / 1000),
      processed: distribution(done.map(([received, at]) => at - received)),
      cpuMsPerMessage,
      peakRssMiB: stack.processes.peakRssMiB(),
    };
  } finally {
    await stack?.processes.stopAll();
    stack?.close();
    await cleanUp({ prefix });
  }
}

/** CPU seconds so far of each process of a stack, of PostgreSQL, Redis and this bench process (the load and the recipient). */
function cpuNow(processes: ProcessGroup): Record<string, number> {
  const own = process.cpuUsage();
  return { ...processes.cpuSeconds(), postgres: serviceCpuSeconds('postgres'), redis: serviceCpuSeconds('redis-server'), 'bench (load + recipient)': (own.user + own.system) / 1e6 };
}

function cpuPerMessage(before: Record<string, number>, after: Record<string, number>, messages: number): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, Math.round((1000 * ((after[k] ?? 0) - (before[k] ?? 0)) / messages) * 100) / 100]));
}

/** Disjoint nine-digit offsets into the 999 range for each batch (three NHS numbers per message, ~1 in 11 offsets unusable). */
function nhsRanges(): (messages: number) => number {
  let next = 0;
  return (messages) => {
    const from = next;
    next += Math.ceil(messages * 3 * 1.2) + 100;
    return from;
  };
}
