import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/package-root.js';

export interface DemoProcess {
  child: ChildProcess;
  port: number;
  /** Everything printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the stdout once `marker` appears (or rejects when the process ends or time runs out). */
  waitFor(marker: RegExp, timeoutMs: number): Promise<string>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Spawns the real CLI, `cradle demo`, as a user would (from source, through bin/cradle.js). */
export async function spawnDemo(args: string[] = []): Promise<DemoProcess> {
  const port = await freePort();
  const env = { ...process.env, CRADLE_USE_SOURCE: '1', DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'info' };
  const child = spawn(process.execPath, [join(packageRoot, 'bin/cradle.js'), 'demo', '--port', String(port), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => { out += c.toString('utf8'); });
  child.stderr!.on('data', (c: Buffer) => { err += c.toString('utf8'); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child, port, exited,
    stdout: () => out,
    stderr: () => err,
    async waitFor(marker, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      let ended = false;
      void exited.then(() => { ended = true; });
      for (;;) {
        if (marker.test(out)) return out;
        if (ended) throw new Error(`cradle demo exited before ${marker}:\n${out}\n${err}`);
        if (Date.now() > deadline) throw new Error(`cradle demo did not print ${marker} within ${timeoutMs} ms:\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        await exited;
      }
    },
  };
}
