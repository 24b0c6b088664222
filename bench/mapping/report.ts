import { int, machine } from '../support/format.js';
import type { Fidelity } from './fidelity.js';
import type { MappingCheck, MappingTiming } from './mapping-compare.js';
import type { ValidatorCheck } from './validator-compare.js';

/** The issue's targets (issue 10): Cradle's map + validate vs JSONata's, and validator vs Medplum's. */
export const TARGETS = { ratioVsJsonata: 100, validatorRatio: 10 } as const;

export interface ValidatorTiming {
  cradle: number;
  medplum: number;
}

/** The `--json` output; its shape is documented in bench/README.md (tests/bench-smoke.e2e.test.ts checks it). */
export interface Summary {
  records: number;
  resources: number;
  runs: number;
  machine: { cpus: number; model: string; node: string };
  cradle: { perSecond: number; usPerRecord: number; mapUsPerRecord: number };
  jsonata: { perSecond: number; usPerRecord: number; mapUsPerRecord: number };
  ratioVsJsonata: number;
  shared: { parseUsPerRecord: number; validateUsPerRecord: number };
  withParse: { cradlePerSecond: number; jsonataPerSecond: number; ratio: number };
  fidelity: Fidelity;
  invalidRecords: { cradle: number; jsonata: number };
  validator: ValidatorCheck & { cradlePerSecond: number; medplumPerSecond: number; ratio: number };
  targets: typeof TARGETS & { metVsJsonata: boolean; metVsMedplum: boolean };
  perRun: Array<{ mapping: MappingTiming; validator: ValidatorTiming }>;
}

/** Folds the runs into one summary, each number the median over the runs. */
export function summarise(check: MappingCheck, validators: ValidatorCheck,
  perRun: Array<{ mapping: MappingTiming; validator: ValidatorTiming }>): Summary {
  const m = (f: (r: (typeof perRun)[number]) => number) => median(perRun.map(f));
  const parse = m((r) => r.mapping.parse);
  const validate = m((r) => r.mapping.validate);
  const cradle = m((r) => r.mapping.cradle);
  const jsonata = m((r) => r.mapping.jsonata);
  const ratioVsJsonata = m((r) => r.mapping.jsonata / r.mapping.cradle);
  const validatorRatio = m((r) => r.validator.cradle / r.validator.medplum);
  return {
    records: check.resources.length,
    resources: check.resources.reduce((n, r) => n + r.length, 0),
    runs: perRun.length,
    machine: machine(),
    cradle: { perSecond: 1e6 / cradle, usPerRecord: cradle, mapUsPerRecord: cradle - validate },
    jsonata: { perSecond: 1e6 / jsonata, usPerRecord: jsonata, mapUsPerRecord: jsonata - validate },
    ratioVsJsonata,
    shared: { parseUsPerRecord: parse, validateUsPerRecord: validate },
    withParse: { cradlePerSecond: 1e6 / (parse + cradle), jsonataPerSecond: 1e6 / (parse + jsonata), ratio: (parse + jsonata) / (parse + cradle) },
    fidelity: check.fidelity,
    invalidRecords: check.invalidRecords,
    validator: { ...validators, cradlePerSecond: m((r) => r.validator.cradle), medplumPerSecond: m((r) => r.validator.medplum), ratio: validatorRatio },
    targets: { ...TARGETS, metVsJsonata: ratioVsJsonata >= TARGETS.ratioVsJsonata, metVsMedplum: validatorRatio >= TARGETS.validatorRatio },
    perRun,
  };
}

/** The human-readable report: Markdown tables, ready to paste into bench/README.md. */
export function table(s: Summary): string {
  const v = s.validator;
  const f = s.fidelity;
  return [
    `${s.records} records → ${s.resources} resources; median of ${s.runs} run(s); ${s.machine.cpus} × ${s.machine.model}, Node ${s.machine.node}`,
    '',
    '| mapping + validation | Cradle | JSONata | ratio | target |',
    '|---|---:|---:|---:|---:|',
    `| records/s | ${int(s.cradle.perSecond)} | ${int(s.jsonata.perSecond)} | **${x(s.ratioVsJsonata)}** | ${x(TARGETS.ratioVsJsonata)} ${s.targets.metVsJsonata ? 'met' : 'missed'} |`,
    `| µs/record | ${dec(s.cradle.usPerRecord)} | ${dec(s.jsonata.usPerRecord)} | | |`,
    `| of which mapping (µs/record) | ${dec(s.cradle.mapUsPerRecord)} | ${dec(s.jsonata.mapUsPerRecord)} | ${x(s.jsonata.mapUsPerRecord / s.cradle.mapUsPerRecord)} | |`,
    `| of which validation (µs/record, same code) | ${dec(s.shared.validateUsPerRecord)} | ${dec(s.shared.validateUsPerRecord)} | | |`,
    `| with the shared parse (${dec(s.shared.parseUsPerRecord)} µs/record), records/s | ${int(s.withParse.cradlePerSecond)} | ${int(s.withParse.jsonataPerSecond)} | ${x(s.withParse.ratio)} | |`,
    '',
    '| validator | Cradle | Medplum | ratio | target |',
    '|---|---:|---:|---:|---:|',
    `| resources/s (${v.resources} resources) | ${int(v.cradlePerSecond)} | ${int(v.medplumPerSecond)} | **${x(v.ratio)}** | ${x(TARGETS.validatorRatio)} ${s.targets.metVsMedplum ? 'met' : 'missed'} |`,
    `| judged valid / invalid | ${v.cradle.valid} / ${v.cradle.invalid} | ${v.medplum.valid} / ${v.medplum.invalid} | | |`,
    '',
    `Fidelity: ${f.identicalRecords}/${f.records} records identical (${f.resources.identical}/${f.resources.cradle} resources; JSONata produced ${f.resources.jsonata}); `
      + `${f.sameCountsByType}/${f.records} with the same resource counts by type.${f.examples.length ? ` First differences: ${f.examples.join('; ')}` : ''}`,
    `Validity of the mapped records: Cradle ${s.invalidRecords.cradle} invalid, JSONata ${s.invalidRecords.jsonata} invalid.`,
    `Validators agree on ${v.agree} of ${v.resources}, disagree on ${v.disagree}:`,
    ...v.disagreements.map((d) => `- ${d.kind} (${d.resourceType}) ×${d.count}: only ${d.acceptedBy} accepts`),
  ].join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const dec = (n: number) => (n >= 100 ? int(n) : n.toFixed(1));
const x = (n: number) => `${n >= 10 ? Math.round(n) : n.toFixed(1)}×`;
