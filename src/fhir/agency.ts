import { CRADLE_BASE } from './canonical.js';
import type { AnyResource } from './types.js';

/** The agencies facts come from, for chronologies and for rules about what another agency knew. */
export type Agency = 'maternity' | 'gp' | 'national' | 'social-care' | 'cradle';

const AGENCY_OF_SOURCE: Readonly<Record<string, Agency>> = {
  maternity: 'maternity', 'maternity-fhir': 'maternity',
  'gp-hl7v2': 'gp', 'gp-fhir': 'gp',
  nems: 'national',
  socialcare: 'social-care', 'cin-census': 'social-care',
};

export const AGENCY_NAMES: Readonly<Record<Agency, string>> = {
  maternity: 'maternity', gp: 'general practice', national: 'national services', 'social-care': "children's social care", cradle: 'Cradle',
};

/** The source a resource came through (the pipeline stamps `meta.source`), e.g. `gp-hl7v2`. */
export function sourceOf(r: AnyResource): string | undefined {
  const prefix = `${CRADLE_BASE}/source/`;
  return r.meta?.source?.startsWith(prefix) ? r.meta.source.slice(prefix.length) : undefined;
}

export function agencyOf(r: AnyResource): Agency | undefined {
  if (r.resourceType === 'Flag') return 'cradle';
  const source = sourceOf(r);
  return source ? AGENCY_OF_SOURCE[source] : undefined;
}
