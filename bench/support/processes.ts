import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

export interface Spawned {
  name: string;
  child: ChildProcess;
}

/** Where to keep each process's stdout (its logs), for looking into a run; by default they are dropped. */
const LOG_DIR = process.env.BENCH_LOG_DIR;

const atInterrupt: Array<() => Promise<unknown>> = [];
let exiting = false;

/** Runs `fn` (dropping a run's schema and keys) if the bench is interrupted, before it exits. */
export function onInterrupt(fn: () => Promise<unknown>): void {
  atInterrupt.push(fn);
}

async function interrupted(): Promise<void> {
  if (exiting) return;
  exiting = true;
  await Promise.race([Promise.allSettled(atInterrupt.map((fn) => fn())), new Promise((r) => setTimeout(r, 120_000))]);
  process.exit(130);
}

/**
 * Node flags for every process the bench starts: the ones Cradle's image runs with (its
 * Dockerfile's NODE_OPTIONS, so the bench measures what is deployed), then BENCH_NODE_ARGS,
 * e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile (later flags win).
 */
const NODE_ARGS = [...imageNodeOptions(), ...(process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter(Boolean)];

export function imageNodeOptions(): string[] {
  const dockerfile = readFileSync(join(packageRoot, 'Dockerfile'), 'utf8');
  const match = /^ENV NODE_OPTIONS="([^"]*)"$/m.exec(dockerfile);
  if (!match) throw new Error('Dockerfile sets no NODE_OPTIONS="…": the bench would not run Cradle as it is deployed');
  return match[1]!.split(/\s+/).filter(Boolean);
}

/**
 * The processes one bench stage starts. Each is stopped with SIGTERM (its own shutdown,
 * which also writes a `--cpu-prof` profile), then SIGKILL if it does not exit in time; the
 * bench's own exit kills any still running, so a failed run leaves nothing behind.
 */
export class ProcessGroup {
  private readonly running: Spawned[] = [];
  private readonly stopping = new Set<ChildProcess>();
  /** Processes that exited without being asked to: the run is invalid. */
  readonly crashed: string[] = [];

  constructor() {
    process.once('exit', () => this.killAll());
    // Ctrl-C or a kill: stop the engine processes, drop what the run made, then exit (Node
    // skips 'exit' listeners on a signal it has no handler for).
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        this.killAll();
        void interrupted();
      });
    }
  }

  start(name: string, args: readonly string[], env: NodeJS.ProcessEnv): Spawned {
    const child = spawn(process.execPath, [...NODE_ARGS, ...args], { env, stdio: ['ignore', LOG_DIR ? 'pipe' : 'ignore', 'pipe'] });
    if (LOG_DIR) child.stdout!.pipe(createWriteStream(join(LOG_DIR, `${name.replace(/\W+/g, '-')}-${child.pid}.log`)));
    // Keep the last of stderr for a failing run's message; Cradle's logs carry no PII by design.
    let tail = '';
    child.stderr!.on('data', (c: Buffer) => (tail = (tail + c.toString()).slice(-3000)));
    child.once('exit', (code, signal) => {
      if (this.stopping.has(child)) return;
      this.crashed.push(name);
      process.stderr.write(`bench: ${name} exited on its own (${code ?? signal})\n${tail}\n`);
    });
    const spawned = { name, child };
    this.running.push(spawned);
    return spawned;
  }

  /** Peak resident set size of each running process so far, in MiB (VmHWM: the kernel's own high-water mark). */
  peakRssMiB(): Record<string, number> {
    return Object.fromEntries(this.running.map(({ name, child }) => [name, vmHwmMiB(child.pid)]));
  }

  /** CPU time (user + system) each running process has used so far, in seconds. */
  cpuSeconds(): Record<string, number> {
    return Object.fromEntries(this.running.map(({ name, child }) => [name, cpuSecondsOf(child.pid)]));
  }

  async stopAll(graceMs = 10_000): Promise<void> {
    await Promise.all(this.running.map(({ child }) => stop(child, graceMs, this.stopping)));
    this.running.length = 0;
  }

  private killAll(): void {
    for (const { child } of this.running) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      this.stopping.add(child);
      child.kill('SIGKILL');
    }
  }
}

function stop(child: ChildProcess, graceMs: number, stopping: Set<ChildProcess>): Promise<void> {
  stopping.add(child);
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Runs a command to its end, as the bench's other processes are run (same node flags),
 * sampling its peak RSS (VmHWM) every 100 ms while it lives: wall time, exit code, peak
 * RSS and the tail of its stdout and stderr.
 */
export function runMeasured(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; ms: number; peakRssMiB: number; output: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, [...NODE_ARGS, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (c: Buffer) => (output = (output + c.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let peak = 0;
  const sample = setInterval(() => {
    const now = vmHwmMiB(child.pid);
    if (now > peak) peak = now;
  }, 100);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      clearInterval(sample);
      resolve({ code, ms: performance.now() - started, peakRssMiB: peak, output });
    });
  });
}

function vmHwmMiB(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** utime + stime from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s on Linux). */
function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU seconds used so far by every process named `comm` (`postgres`, `redis-server`):
 * the shared services' share of a run, read as a difference. Includes whatever else uses
 * them meanwhile, so it is exact only on a quiet machine.
 */
export function serviceCpuSeconds(comm: string): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm) total += cpuSecondsOf(Number(pid));
    } catch { /* exited meanwhile */ }
  }
  return total;
}
