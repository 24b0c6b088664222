import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allSources } from '../../mappings/index.js';
import { CradleError } from '../../src/fhir/outcome.js';
import { validateResources, warmValidator } from '../../src/fhir/validator.js';
import { bundleResources } from '../../src/mapping/bundle.js';
import { packageRoot } from '../../src/util/package-root.js';
import { mutateBytes, mutateEr7, mutateJson, mutateJsonTyped, mutateXml, seeded } from './mutators.js';

/**
 * Fuzzing every parser: at least 10,000 malformed inputs per source (FUZZ_ITERATIONS to go
 * further by hand), each taken through split → parse → map → validate exactly as the
 * pipeline would. A Cradle error (a clear OperationOutcome) is the expected answer to bad
 * input; anything else thrown is a crash, and any input taking over a second is a hang.
 */
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 10_000);
const SLOW_MS = 1000;
const sources = allSources();
const structural: Record<string, (r: () => number, b: Buffer) => Buffer> = {
  'gp-hl7v2': mutateEr7, 'cin-census': mutateXml, nems: (r, b) => (b[0] === 0x3c ? mutateXml(r, b) : mutateJson(r, b)),
};

function seedsOf(source: string): Buffer[] {
  const dir = join(packageRoot, 'mappings', source, 'cases');
  return readdirSync(dir).filter((f) => f.includes('.input.')).sort().map((f) => readFileSync(join(dir, f)));
}

interface FuzzReport { source: string; inputs: number; accepted: number; rejected: number; crashes: string[]; slow: string[]; maxMs: number; heapGrowthMb: number }

function fuzz(source: string): FuzzReport {
  const adapter = sources.get(source)!;
  const seeds = seedsOf(source);
  const mutate = structural[source] ?? ((r: () => number, b: Buffer) => (r() < 0.5 ? mutateJsonTyped(r, b) : mutateJson(r, b)));
  const report: FuzzReport = { source, inputs: 0, accepted: 0, rejected: 0, crashes: [], slow: [], maxMs: 0, heapGrowthMb: 0 };
  const heapBefore = process.memoryUsage().heapUsed;
  for (let i = 0; i < ITERATIONS; i++) {
    const r = seeded(0x5eed + i * 7919);
    const seed = seeds[i % seeds.length]!;
    const input = r() < 0.5 ? mutate(r, seed) : mutateBytes(r, seed, '|^~\\&\r{}[]",:<>/=');
    report.inputs++;
    const started = performance.now();
    try {
      const parts = adapter.split ? adapter.split(input, adapter.mediaTypes[0]!) : [input];
      for (const part of parts) {
        const record = adapter.parse(part, adapter.mediaTypes[0]!);
        const resources = bundleResources(adapter.map(record, { messageId: '00000000-0000-4000-8000-000000000000', receivedAt: '2026-11-22T10:00:00Z', source }));
        validateResources(resources);
      }
      report.accepted++;
    } catch (err) {
      if (err instanceof CradleError) report.rejected++;
      else report.crashes.push(`iteration ${i}: ${(err as Error).name}: ${(err as Error).message.slice(0, 120)}`);
    }
    const ms = performance.now() - started;
    report.maxMs = Math.max(report.maxMs, ms);
    if (ms > SLOW_MS) report.slow.push(`iteration ${i}: ${Math.round(ms)} ms`);
  }
  report.heapGrowthMb = Math.round((process.memoryUsage().heapUsed - heapBefore) / 1e6);
  return report;
}

describe('fuzzing every parser with malformed input', () => {
  warmValidator();
  it.each([...sources.keys()])('%s: no crash, no hang, bounded memory', (source) => {
    const report = fuzz(source);
    console.log(`fuzz ${source}: ${report.inputs} inputs, ${report.accepted} accepted, ${report.rejected} refused with an OperationOutcome, ` +
      `${report.crashes.length} crashed, ${report.slow.length} slow (max ${Math.round(report.maxMs)} ms), heap +${report.heapGrowthMb} MB`);
    expect(report.inputs).toBeGreaterThanOrEqual(Math.min(ITERATIONS, 10_000));
    expect(report.crashes).toEqual([]);
    expect(report.slow).toEqual([]);
    expect(report.heapGrowthMb).toBeLessThan(256);
  }, 300_000);
});
