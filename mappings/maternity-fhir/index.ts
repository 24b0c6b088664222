import { CradleError, type Issue } from '../../src/fhir/outcome.js';
import type { Bundle } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validator.js';
import { parseJson } from '../../src/ingest/json-contract.js';
import type { SourceAdapter } from '../../src/ingest/source.js';
import { consistencyIssues } from '../maternity/consistency.js';
import { mapMaternityRecord } from '../maternity/maternity-record.js';
import type { MaternityRecord } from '../maternity/record.js';
import { toMaternityRecord } from './to-maternity-record.js';

/**
 * The `maternity-fhir` source: an R4 Bundle as a maternity system's FHIR copy gives it
 * (BadgerNet Spine and the like), pushed to /ingest/maternity-fhir or pulled by the
 * notify connector. The Bundle is checked against the R4 schema, read into the
 * `maternity` contract's record (to-maternity-record.ts), and mapped by the `maternity`
 * mapping itself, so both routes produce the same resources for the same facts.
 */
export const maternityFhirSource: SourceAdapter<MaternityRecord> = {
  name: 'maternity-fhir',
  mediaTypes: ['application/fhir+json', 'application/json'],
  contractPath: 'mappings/maternity-fhir/contract.json',
  parse(body) {
    const bundle = parseJson(body) as Bundle;
    if (bundle?.resourceType !== 'Bundle') {
      throw new CradleError('CRADLE_INPUT_INVALID', { expression: ['Bundle'], diagnostics: 'The body must be a FHIR R4 Bundle' });
    }
    const invalid = validateResource(bundle);
    if (invalid.length) throw CradleError.of(invalid.map(asInputProblem));
    const record = toMaternityRecord(bundle);
    const inconsistent = consistencyIssues(record);
    if (inconsistent.length) throw CradleError.of(inconsistent.map((i) => ({ ...i, expression: ['Bundle'], diagnostics: `as a maternity record, ${i.diagnostics}` })));
    return record;
  },
  identity: (record) => ({ key: `maternity-fhir|${record.organisation.odsCode}|${record.recordId}`, version: record.version }),
  map: mapMaternityRecord,
};

/** Invalid FHIR *input* is the sender's problem (rejected), not a Cradle mapping defect. */
function asInputProblem(issue: Issue): Issue {
  return { ...issue, code: 'CRADLE_INPUT_INVALID' };
}
