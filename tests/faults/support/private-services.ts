import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sleep, waitFor } from './wait.js';

/**
 * A PostgreSQL cluster of the fault suite's own (initdb into a temporary directory, its own
 * port), so the suite can stop and start it without touching the machine's PostgreSQL that
 * other tests use. Run as the `postgres` user when the suite runs as root.
 */
export interface PrivatePostgres {
  url: string;
  /** Stops the server as a crash would (`-m immediate`: WAL recovery on start), waits, starts it. */
  restart(outageMs: number): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'cradle-faults-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]] : [join(bin, tool), args];
    execFileSync(cmd, argv, { stdio: 'ignore' });
  };
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`;
  const start = () => run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', '-t', '60', 'start']);
  const stop = (mode: 'immediate' | 'fast') => run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async restart(outageMs) {
      stop('immediate');
      await sleep(outageMs);
      start();
    },
    async destroy() {
      try {
        stop('fast');
      } catch { /* already stopped */ }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], 'bin');
  }
  return execFileSync('pg_config', ['--bindir']).toString().trim();
}

/**
 * A Redis of the fault suite's own, keeping nothing on disk like the machine's: a restart
 * loses every queued job, so recovery has to come from Cradle's inbound store and outbox.
 */
export interface PrivateRedis {
  url: string;
  /** Kills the server (SIGKILL), waits, starts an empty one on the same port. */
  restart(outageMs: number): Promise<void>;
  destroy(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: ChildProcess;
  const start = async () => {
    proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    await waitFor(async () => {
      try {
        return execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() === 'PONG';
      } catch {
        return false;
      }
    }, 10_000, 'private redis-server did not start');
  };
  const kill = () => new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    async restart(outageMs) {
      await kill();
      await sleep(outageMs);
      await start();
    },
    destroy: kill,
  };
}
