import { parseArgs } from 'node:util';
import { warmValidator } from '../../src/fhir/validator.js';
import { jsonataMapper } from './jsonata-side.js';
import { checkMappings, prepare, timeMappings, type TimingOptions } from './mapping-compare.js';
import { medplumValidator } from './medplum-side.js';
import { generateRecords } from './records.js';
import { summarise, table } from './report.js';
import { checkValidators, timeValidators } from './validator-compare.js';
import { variantsOf } from './variants.js';

/**
 * bench/mapping: Cradle's maternity mapping + validation against the same mapping in
 * JSONata, and Cradle's validator against Medplum's, on the same data in one run.
 *
 *   node --import tsx bench/mapping/run.ts [--records N] [--runs N] [--json] [--smoke]
 *
 * See bench/README.md for what is compared and the results.
 */
const { values } = parseArgs({
  options: {
    records: { type: 'string' },
    runs: { type: 'string' },
    json: { type: 'boolean', default: false },
    smoke: { type: 'boolean', default: false },
  },
});

const smoke = values.smoke;
const records = Number(values.records ?? (smoke ? 10 : 2000));
const runs = Number(values.runs ?? (smoke ? 1 : 3));
const timing: TimingOptions = smoke ? { warmUpSeconds: 0.05, minSeconds: 0.1 } : { warmUpSeconds: 2, minSeconds: 3 };
/** The validator comparison uses the resources of at most this many records, plus their variants. */
const VALIDATOR_RECORDS = 500;
/** Resources of each type mutated into invalid variants. */
const BASES_PER_TYPE = smoke ? 2 : 20;

if (!Number.isInteger(records) || records < 1 || !Number.isInteger(runs) || runs < 1) {
  console.error('usage: run.ts [--records N] [--runs N] [--json] [--smoke]');
  process.exit(2);
}

const log = (msg: string) => { if (!values.json) console.error(msg); };

// Compile and load everything before anything is timed: R4 schema, JSONata expression, Medplum's definitions.
warmValidator();
medplumValidator();
const jsonata = jsonataMapper();
const prepared = prepare(generateRecords(records));

log(`checking ${records} records both ways…`);
const check = await checkMappings(prepared, jsonata);
const variants = variantsOf(check.resources.slice(0, VALIDATOR_RECORDS).flat(), BASES_PER_TYPE);
const validators = checkValidators(variants);

const perRun = [];
for (let run = 1; run <= runs; run++) {
  log(`run ${run}/${runs}: mapping…`);
  const mapping = await timeMappings(prepared, check.resources, jsonata, timing);
  log(`run ${run}/${runs}: validators…`);
  perRun.push({ mapping, validator: await timeValidators(variants, timing) });
}

const summary = summarise(check, validators, perRun);
console.log(values.json ? JSON.stringify(summary, null, 2) : table(summary));
