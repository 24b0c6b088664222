import type { AnyResource } from '../../src/fhir/types.js';
import { validateResources } from '../../src/fhir/validator.js';
import type { MappingContext } from '../../src/mapping/context.js';
import type { MaternityRecord } from '../../mappings/maternity/record.js';
import { contextFor, cradleMapAndValidate, parseRecord } from './cradle-side.js';
import { compareOutputs, emptyFidelity, type Fidelity } from './fidelity.js';
import type { JsonataMapper } from './jsonata-side.js';
import { microsPer, timePasses, warmUp } from './timing.js';

/** Records per warm-up pass: enough for every code path, few enough for JSONata to go round often. */
const WARM_UP_RECORDS = 200;

export interface TimingOptions {
  warmUpSeconds: number;
  minSeconds: number;
}

/** What the two mappings produced for the same records, checked before anything is timed. */
export interface MappingCheck {
  fidelity: Fidelity;
  /** Records whose output the validator rejected, per side (both should be 0). */
  invalidRecords: { cradle: number; jsonata: number };
  /** Cradle's resources, valid, for the validator comparison. */
  resources: AnyResource[][];
}

/** One timed run of the mapping comparison, in microseconds per record. */
export interface MappingTiming {
  parse: number;
  validate: number;
  cradle: number;
  jsonata: number;
}

export interface Prepared {
  bodies: Buffer[];
  records: MaternityRecord[];
  contexts: MappingContext[];
}

/** Serialises and parses the records once: the timed loops start from bytes or from parsed records. */
export function prepare(generated: readonly MaternityRecord[]): Prepared {
  const bodies = generated.map((r) => Buffer.from(JSON.stringify(r)));
  return { bodies, records: bodies.map(parseRecord), contexts: bodies.map((_, i) => contextFor(i)) };
}

/** Maps every record both ways and compares outputs and validity (untimed). */
export async function checkMappings(p: Prepared, jsonata: JsonataMapper): Promise<MappingCheck> {
  const fidelity = emptyFidelity();
  const invalidRecords = { cradle: 0, jsonata: 0 };
  const resources: AnyResource[][] = [];
  for (let i = 0; i < p.records.length; i++) {
    const mine = cradleMapAndValidate(p.records[i]!, p.contexts[i]!);
    const theirs = await jsonata(p.records[i]!, p.contexts[i]!);
    if (mine.issues.length) invalidRecords.cradle++;
    if (theirs.issues.length) invalidRecords.jsonata++;
    compareOutputs(fidelity, mine.resources, theirs.resources);
    // Kept as a copy, as if read off the wire: keeping the mapping's own objects alive would
    // teach V8 to allocate them in old space (pretenuring), slowing the timed loops below.
    resources.push(JSON.parse(JSON.stringify(mine.resources)) as AnyResource[]);
  }
  return { fidelity, invalidRecords, resources };
}

/**
 * Times the stages: the shared parse, the shared validation on its own (on Cradle's
 * output), and each side's map + validate from the parsed record. Each side is warmed up
 * first, so V8 has optimised it, as it would have in a long-running worker.
 */
export async function timeMappings(p: Prepared, mapped: AnyResource[][], jsonata: JsonataMapper, opts: TimingOptions): Promise<MappingTiming> {
  const n = p.records.length;
  // Each pass processes the first `count` records: warm-up uses a slice, timing uses all.
  const parsePass = (count: number) => { for (let i = 0; i < count; i++) parseRecord(p.bodies[i]!); };
  const validatePass = (count: number) => { for (let i = 0; i < count; i++) validateResources(mapped[i]!); };
  const cradlePass = (count: number) => { for (let i = 0; i < count; i++) cradleMapAndValidate(p.records[i]!, p.contexts[i]!); };
  const jsonataPass = async (count: number) => { for (let i = 0; i < count; i++) await jsonata(p.records[i]!, p.contexts[i]!); };
  const timed = async (pass: (count: number) => unknown) => {
    await warmUp(opts.warmUpSeconds, () => pass(Math.min(n, WARM_UP_RECORDS)));
    return microsPer(await timePasses(n, opts.minSeconds, () => pass(n)));
  };
  return {
    parse: await timed(parsePass),
    validate: await timed(validatePass),
    cradle: await timed(cradlePass),
    jsonata: await timed(jsonataPass),
  };
}
