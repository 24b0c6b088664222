import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../src/util/package-root.js';

const run = promisify(execFile);

/**
 * The benchmarks themselves are not run in CI (bench/README.md); this proves in seconds
 * that their scripts still work end to end against today's code: each bench at a tiny size
 * (`--smoke --json`), its JSON in the shape bench/README.md documents, and the invariants
 * that make its numbers mean anything — both mappings agree, every message is processed,
 * every view arrives. Cradle's processes run from source (CRADLE_USE_SOURCE=1), not dist/.
 */
async function bench(script: string): Promise<Record<string, any>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join(packageRoot, 'bench', script), '--smoke', '--json'], {
    cwd: packageRoot, env: { ...process.env, CRADLE_USE_SOURCE: '1', BENCH_LOG_LEVEL: 'warn' }, maxBuffer: 16 * 1024 * 1024, timeout: 120_000,
  });
  return JSON.parse(stdout) as Record<string, any>;
}

describe('benchmark scripts, at smoke size', () => {
  it('bench/mapping: the JSONata mapping gives what Cradle gives, and both validators judge the same resources', async () => {
    const s = await bench('mapping/run.ts');
    expect(s.records).toBe(10);
    expect(s.fidelity.identicalRecords).toBe(s.records);
    expect(s.invalidRecords).toEqual({ cradle: 0, jsonata: 0 });
    expect(s.cradle.perSecond).toBeGreaterThan(0);
    expect(s.jsonata.perSecond).toBeGreaterThan(0);
    expect(s.validator.resources).toBe(s.validator.agree + s.validator.disagree);
    expect(s.validator.cradle.invalid).toBeGreaterThan(0);
    expect(s.validator.medplum.invalid).toBeGreaterThan(0);
    expect(s.validator.ratio).toBeGreaterThan(0);
  }, 120_000);

  it('bench/pipeline: Cradle processes and delivers every message, and the no-op pipeline finishes the same payloads', async () => {
    const r = await bench('pipeline/run.ts');
    expect(r.cradle.notProcessed).toBe(0);
    expect(r.cradle.fullSpeed.messages).toBe(60);
    expect(r.cradle.fullSpeed.processed.count).toBeGreaterThanOrEqual(60);
    // Views: every maternity record and social care event in the mix raises an alert.
    expect(r.cradle.fullSpeed.delivered.count).toBe(42);
    expect(r.cradle.fixedRate.delivered.p99).toBeGreaterThan(0);
    expect(r.noop.messages).toBe(60);
    expect(r.ratio).toBeGreaterThan(0);
    for (const mib of Object.values(r.cradle.peakRssMiB)) expect(mib).toBeGreaterThan(0);
  }, 120_000);

  it('bench/bulk: cradle ingest submits a CIN census return and a maternity backfill, and every message is processed', async () => {
    const r = await bench('bulk/run.ts');
    expect(r.results.map((x: { messages: number; status: Record<string, number> }) => [x.messages, x.status.processed])).toEqual([[20, 20], [40, 40]]);
    expect(r.results[1].peakRssMiB['cradle ingest']).toBeGreaterThan(0);
  }, 120_000);
});
