import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnyResource, Bundle } from '../../src/fhir/types.js';
import { bundleResources } from '../../src/mapping/bundle.js';
import { packageRoot } from '../../src/util/package-root.js';
import { maternitySource } from '../maternity/index.js';
import { maternityFhirSource } from './index.js';

const ctx = { messageId: '00000000-0000-4000-8000-000000000001', receivedAt: '2026-11-30T12:00:00Z', source: 'maternity' };
const CASES = ['full', 'minimal', 'booking-unknown-partner-twins'];

function facts(bundle: Bundle): Map<string, AnyResource> {
  return new Map(bundleResources(bundle).filter((r) => r.resourceType !== 'Provenance').map((r) => [`${r.resourceType}/${r.id}`, r]));
}

/**
 * The strongest statement of "rules do not care which way maternity data arrived": the
 * FHIR the maternity mapping writes for a JSON record, sent back in as a FHIR copy, maps to
 * exactly the same resources — same ids, same codings, same values.
 */
describe('maternity-fhir reads a FHIR copy into the same resources as the maternity JSON record', () => {
  it.each(CASES)('round-trips the %s maternity golden case resource for resource', (name) => {
    const body = readFileSync(join(packageRoot, 'mappings/maternity/cases', `${name}.input.json`));
    const record = maternitySource.parse(body, 'application/json');
    const direct = maternitySource.map(record, ctx);
    const copy: Bundle = { ...direct, type: 'collection', timestamp: record.updatedAt, entry: direct.entry!.map(({ resource }) => ({ resource })) };
    const viaFhir = maternityFhirSource.map(maternityFhirSource.parse(Buffer.from(JSON.stringify(copy)), 'application/fhir+json'), ctx);
    const [expected, actual] = [facts(direct), facts(viaFhir)];
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [ref, resource] of expected) expect([ref, actual.get(ref)]).toEqual([ref, resource]);
  });
});
