import type { Issue } from '../../src/fhir/outcome.js';
import type { AnyResource } from '../../src/fhir/types.js';
import { validateResources } from '../../src/fhir/validator.js';
import { bundleResources } from '../../src/mapping/bundle.js';
import type { MappingContext } from '../../src/mapping/context.js';
import { deterministicId } from '../../src/mapping/ids.js';
import { maternitySource } from '../../mappings/maternity/index.js';
import type { MaternityRecord } from '../../mappings/maternity/record.js';

/** What one side of the benchmark produces for one record: its resources and the validator's verdict. */
export interface MappedRecord {
  resources: AnyResource[];
  issues: Issue[];
}

export const RECEIVED_AT = '2026-11-30T12:00:00Z';

/** The context the map worker would pass for message `n` (fixed clock, deterministic id). */
export function contextFor(n: number): MappingContext {
  return { messageId: deterministicId('bench', 'maternity', n), receivedAt: RECEIVED_AT, source: 'maternity' };
}

/**
 * The parse step of the map worker (src/pipeline/map-message.ts): the source adapter
 * turns the bytes into a record (JSON, contract schema, consistency checks). Both sides
 * start from its output, so it is timed once, on its own.
 */
export function parseRecord(body: Buffer): MaternityRecord {
  return maternitySource.parse(body, 'application/json');
}

/**
 * Cradle's side, the map worker's next steps: the adapter maps the record to a Bundle and
 * every resource is validated against the R4 schema and Cradle's profiles. Linking and
 * the store are left out: they are I/O, not mapping.
 */
export function cradleMapAndValidate(record: MaternityRecord, ctx: MappingContext): MappedRecord {
  const resources = bundleResources(maternitySource.map(record, ctx));
  return { resources, issues: validateResources(resources) };
}
