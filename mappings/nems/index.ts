import type { SourceAdapter } from '../../src/ingest/source.js';
import { mapNemsMessage } from './nems-message.js';
import { readNemsMessage, type NemsRecord } from './read-message.js';

export const NEMS_CONTRACT = 'mappings/nems/contract.json';

/**
 * The `nems` source: National Events Management Service event messages (FHIR STU3 message
 * Bundles, as published in XML, or JSON), converted to R4 for the resources Cradle reads
 * (CONTRACTS.md, DOMAIN.md section 2).
 */
export const nemsSource: SourceAdapter<NemsRecord> = {
  name: 'nems',
  mediaTypes: ['application/fhir+xml', 'application/fhir+json', 'application/xml', 'application/json'],
  contractPath: NEMS_CONTRACT,
  parse: (body) => readNemsMessage(body),
  identity: (record) => ({ key: record.key, version: record.versionNumber }),
  map: mapNemsMessage,
};
