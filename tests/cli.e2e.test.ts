import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/util/package-root.js';

const CASES = join(packageRoot, 'mappings/maternity/cases');
const TOKEN = 'e2e-admin-token';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The README's first command, for real: `cradle start` on the embedded store, no PostgreSQL or Redis. */
describe('cradle CLI end to end (embedded default)', () => {
  let engine: ChildProcess;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => spawnSync(process.execPath, [join(packageRoot, 'bin/cradle.js'), ...args], { env, encoding: 'utf8', timeout: 60_000 });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cradle-e2e-'));
    const port = await freePort();
    env = { ...process.env, CRADLE_USE_SOURCE: '1', PORT: String(port), CRADLE_DATA_DIR: dataDir, CRADLE_ADMIN_TOKEN: TOKEN,
      CRADLE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: 'warn', DATABASE_URL: '', REDIS_URL: '' };
    engine = spawn(process.execPath, [join(packageRoot, 'bin/cradle.js'), 'start'], { env, stdio: 'ignore' });
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error('cradle start did not become ready');
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 90_000);

  afterAll(async () => {
    if (engine && engine.exitCode === null) {
      const exited = new Promise((r) => engine.once('exit', r));
      engine.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('ingests a directory with a summary, resumes without duplicates, and replays what was refused', () => {
    const dir = join(dataDir, 'in');
    mkdirSync(dir);
    for (const f of ['full.input.json', 'minimal.input.json', 'bad-contract.input.json']) cpSync(join(CASES, f), join(dir, f));
    const first = cli('ingest', '--source', 'maternity', dir);
    expect(first.stdout).toMatch(/3 files in .* 2 accepted, 0 already had, 1 refused/);
    expect(first.stdout).toMatch(/bad-contract.input.json: 422 CRADLE_INPUT_MISSING \$\.updatedAt/);
    // Not a terminal here, so the bar writes whole lines: the last has the count, the rate, the ETA and the refusals.
    expect(first.stderr).toMatch(/ingest maternity \[#{30}\] 3\/3 (–|\d+\.\d)\/s ETA (–|0s) \(1 refused\)\n$/);
    expect(first.status).toBe(1);
    const again = cli('ingest', '--source', 'maternity', dir);
    expect(again.stdout).toMatch(/0 accepted, 2 already had, 1 refused/);
    const replay = cli('replay', '--rejected', '--source', 'maternity');
    expect(replay.stdout).toMatch(/1 message\(s\) queued for replay/);
    expect(replay.status).toBe(0);
    // It follows the replay to the end: the contract still refuses the message.
    expect(replay.stdout).toMatch(/replayed 1 in [\d.]+ s: 0 processed, 1 rejected, 0 failed\n/);
    expect(replay.stderr).toMatch(/replay \[#{30}\] 1\/1 .* \(1 rejected or failed\)/);
    const range = cli('replay', '--since', new Date(Date.now() - 3600_000).toISOString(), '--source', 'maternity');
    expect(range.stdout).toMatch(/3 message\(s\) queued for replay/);
    expect(range.stdout).toMatch(/replayed 3 in [\d.]+ s: 2 processed, 1 rejected, 0 failed\n/);
    expect(range.status).toBe(0);
  });

  it('validates source messages and FHIR offline, printing an OperationOutcome', () => {
    const good = cli('validate', '--source', 'maternity', join(CASES, 'full.input.json'));
    expect(good.status).toBe(0);
    expect(JSON.parse(good.stdout).issue[0].diagnostics).toBe('valid');
    const bad = cli('validate', '--source', 'maternity', join(CASES, 'bad-inconsistent.input.json'));
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout).issue.map((i: { expression: string[] }) => i.expression[0])).toContain('$.contacts[0].findings[0].subject');
    const usage = cli('validate');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/exactly one FILE/);
  });

  it('refuses to run a gateway alone on the embedded store, explaining why', () => {
    const res = cli('gateway');
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/needs DATABASE_URL and REDIS_URL/);
  });
});
