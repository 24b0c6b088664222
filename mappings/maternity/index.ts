import { CradleError } from '../../src/fhir/outcome.js';
import { jsonContract } from '../../src/ingest/json-contract.js';
import type { SourceAdapter } from '../../src/ingest/source.js';
import { consistencyIssues } from './consistency.js';
import { mapMaternityRecord } from './maternity-record.js';
import type { MaternityRecord } from './record.js';

export const MATERNITY_CONTRACT = 'mappings/maternity/contract.schema.json';
const parseContract = jsonContract<MaternityRecord>(MATERNITY_CONTRACT);

/** The `maternity` source: BadgerNet-style JSON maternity records (CONTRACTS.md). */
export const maternitySource: SourceAdapter<MaternityRecord> = {
  name: 'maternity',
  mediaTypes: ['application/json'],
  contractPath: MATERNITY_CONTRACT,
  parse(body) {
    const record = parseContract(body);
    const issues = consistencyIssues(record);
    if (issues.length > 0) throw CradleError.of(issues);
    return record;
  },
  identity: (record) => ({ key: `maternity|${record.organisation.odsCode}|${record.recordId}`, version: record.version }),
  map: mapMaternityRecord,
};
