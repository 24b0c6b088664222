import { CRADLE_BASE, PROFILE } from './canonical.js';
import { BACKPORT } from '../subscriptions/backport.js';
import { subscriptionCapabilities } from '../subscriptions/capability.js';
import { SEARCH_PARAMS } from './search-params.js';
import type { CapabilityStatement } from './types.js';

/**
 * Cradle's CapabilityStatement, built from the search-parameter table the store indexes,
 * so it cannot claim a search Cradle does not run. profiles/CapabilityStatement-cradle.json
 * is this, written by `npm run gen:capability`; a test fails when the two differ.
 */
export function capabilityStatement(version: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    id: 'cradle',
    url: `${CRADLE_BASE}/CapabilityStatement/cradle`,
    version,
    name: 'Cradle',
    title: 'Cradle read-only FHIR API',
    status: 'active',
    date: '2026-11-22',
    publisher: 'Cradle',
    description: 'Generated from src/fhir/search-params.ts by `npm run gen:capability`; do not edit. Read-only: data enters Cradle through POST /ingest/{source}; every write interaction answers 405, except on Subscription (topic-based, Subscriptions R5 Backport IG).',
    kind: 'instance',
    software: { name: 'Cradle', version },
    instantiates: [BACKPORT.serverCapabilities],
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    implementationGuide: [BACKPORT.ig],
    rest: [{
      mode: 'server',
      security: { cors: false, description: 'Bearer token (CRADLE_ADMIN_TOKEN, or a client token from CRADLE_CONFIG). Recipients read only the families routed to them.' },
      resource: [...Object.entries(SEARCH_PARAMS).map(([type, params]) => ({
        type,
        ...(type === 'Flag' ? { supportedProfile: [PROFILE.safeguardingFlag] } : {}),
        ...(type === 'DetectedIssue' ? { supportedProfile: [PROFILE.safeguardingDetectedIssue] } : {}),
        interaction: [{ code: 'read' as const }, { code: 'vread' as const }, { code: 'search-type' as const }],
        searchInclude: params.filter((p) => p.type === 'reference').map((p) => `${type}:${p.name}`),
        searchParam: [
          { name: '_id', type: 'token' as const },
          ...params.map((p) => ({ name: p.name, type: p.type, documentation: p.documentation })),
        ],
      })), ...subscriptionCapabilities()],
      operation: [{ name: 'validate', definition: 'http://hl7.org/fhir/OperationDefinition/Resource-validate' }],
    }],
  };
}
