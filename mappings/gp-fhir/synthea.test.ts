import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Bundle } from '../../src/fhir/types.js';
import { validateResources } from '../../src/fhir/validator.js';
import { bundleResources } from '../../src/mapping/bundle.js';
import { packageRoot } from '../../src/util/package-root.js';
import { gpFhirSource } from './index.js';

const DIR = join(packageRoot, 'tests/data/external/fhir-r4/synthea');
const ctx = { messageId: '00000000-0000-4000-8000-000000000001', receivedAt: '2026-11-30T12:00:00Z', source: 'gp-fhir' };

/**
 * The real Synthea transaction Bundles (Apache-2.0, tests/data/external/SOURCES.md): too
 * large for golden files, so their properties are checked instead.
 */
describe.each(readdirSync(DIR).filter((f) => f.endsWith('.json')))('gp-fhir on the Synthea record %s', (file) => {
  const input = readFileSync(join(DIR, file));
  const sent = JSON.parse(input.toString('utf8')) as Bundle;
  const mapped = gpFhirSource.map(gpFhirSource.parse(input, 'application/fhir+json'), ctx);
  const resources = bundleResources(mapped);

  it('keeps only the types gp-fhir reads, each of them, valid R4', () => {
    const kept = new Set(resources.map((r) => r.resourceType));
    const sentTypes = new Set(sent.entry!.map((e) => e.resource!.resourceType));
    for (const type of ['Patient', 'Condition', 'Observation', 'Encounter']) if (sentTypes.has(type as never)) expect(kept.has(type as never), type).toBe(true);
    expect([...kept].filter((t) => !['Patient', 'RelatedPerson', 'Condition', 'Observation', 'Encounter', 'Appointment', 'Provenance'].includes(t))).toEqual([]);
    expect(validateResources(resources)).toEqual([]);
  });

  it('re-homes every resource: no sender id survives, every reference resolves in Cradle or is logical', () => {
    const senderIds = new Set(sent.entry!.map((e) => e.resource!.id));
    expect(resources.filter((r) => senderIds.has(r.id))).toEqual([]);
    const ids = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
    const refs = JSON.stringify(resources).match(/"reference":"[^"]+"/g) ?? [];
    expect(refs.map((r) => r.slice(13, -1)).filter((r) => !ids.has(r))).toEqual([]);
  });

  it('drops US social security numbers and driving licences from the Patient', () => {
    const patient = resources.find((r) => r.resourceType === 'Patient') as { identifier?: Array<{ system?: string; type?: { coding?: Array<{ code?: string }> } }> };
    expect(patient.identifier?.some((i) => i.system === 'http://hl7.org/fhir/sid/us-ssn' || i.type?.coding?.[0]?.code === 'DL')).toBe(false);
  });
});
