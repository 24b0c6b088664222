import type { SourceAdapter } from '../../src/ingest/source.js';
import { gpFhirKey, mapGpFhirRecord } from './gp-fhir-record.js';
import { readGpFhirBundle, type GpFhirRecord } from './read-bundle.js';

export const GP_FHIR_CONTRACT = 'mappings/gp-fhir/contract.json';

/**
 * The `gp-fhir` source: a GP structured record as an R4 Bundle of UK Core resources
 * (CONTRACTS.md). Each Bundle is the whole record of its patient from its sender: a newer
 * one (by Bundle.timestamp) retires what the last one had and this one lacks.
 */
export const gpFhirSource: SourceAdapter<GpFhirRecord> = {
  name: 'gp-fhir',
  mediaTypes: ['application/fhir+json', 'application/json'],
  contractPath: GP_FHIR_CONTRACT,
  parse: (body) => readGpFhirBundle(body),
  identity: (record) => ({ key: gpFhirKey(record), version: record.version }),
  map: mapGpFhirRecord,
};
