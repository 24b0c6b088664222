/**
 * FHIR R4 types, re-exported so the rest of Cradle imports them from one place.
 * `@types/fhir` is pinned to a version that ships `fhir/r4` (the latest is STU3-only).
 */
export type * from 'fhir/r4.js';
import type { FhirResource } from 'fhir/r4.js';

/** Any R4 resource. */
export type AnyResource = FhirResource;
