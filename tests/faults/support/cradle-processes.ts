import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../../src/util/package-root.js';
import { waitFor } from './wait.js';

/**
 * `cradle gateway` and `cradle worker` as child processes, the scaled-out deployment of
 * docker-compose.yml. Workers can be killed with SIGKILL mid-job and started again.
 */
export class CradleProcesses {
  private gateway: ChildProcess | undefined;
  private readonly workers = new Set<ChildProcess>();
  /** Processes that exited on their own (not stopped or killed by the suite): each is a bug. */
  crashes = 0;
  private stopping = new Set<ChildProcess>();

  constructor(private readonly env: NodeJS.ProcessEnv, readonly gatewayUrl: string) {}

  async startGateway(): Promise<void> {
    this.gateway = this.spawn('gateway');
    await waitFor(() => fetch(`${this.gatewayUrl}/readyz`).then((r) => r.ok, () => false), 60_000, 'gateway did not become ready', 200);
  }

  startWorker(): void {
    const worker = this.spawn('worker');
    this.workers.add(worker);
    worker.once('exit', () => this.workers.delete(worker));
  }

  /** SIGKILL every worker: no shutdown hook runs, jobs in flight are abandoned mid-way. */
  async killWorkers(): Promise<void> {
    await Promise.all([...this.workers].map((w) => (this.stopping.add(w), stopped(w, 'SIGKILL'))));
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.workers, ...(this.gateway ? [this.gateway] : [])].map((p) => (this.stopping.add(p), stopped(p, 'SIGTERM'))));
  }

  private spawn(command: 'gateway' | 'worker'): ChildProcess {
    const child = spawn(process.execPath, [join(packageRoot, 'bin/cradle.js'), command], { env: this.env, stdio: ['ignore', 'ignore', 'pipe'] });
    // Keep the last of stderr for a failing run's report; logs carry no PII by design.
    let tail = '';
    child.stderr!.on('data', (c: Buffer) => (tail = (tail + c.toString()).slice(-4000)));
    child.once('exit', (code) => {
      if (this.stopping.has(child)) return;
      this.crashes++;
      process.stderr.write(`cradle ${command} exited ${code} on its own\n${tail}\n`);
    });
    return child;
  }
}

function stopped(p: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill(signal);
  });
}
