import type { Flag } from '../fhir/types.js';

/**
 * The filters a subscriber may put on the safeguarding-flag topic, as
 * `backport-filter-criteria` values such as `Flag?patient=Patient/123&code=bruising-non-mobile-infant`.
 * Several values of one parameter (comma-separated) match any of them; several parameters, or
 * several filter-criteria extensions, must all match (IG: "logical AND"). Anything else is
 * refused rather than ignored, as searches are: a filter silently dropped would send a
 * subscriber events it did not ask for.
 */
export type FlagFilter =
  | { param: 'patient'; patients: string[] }
  | { param: 'code'; tokens: Array<{ system?: string; code: string }> }
  | { param: 'status'; statuses: string[] };

export const FILTER_PARAMETERS = [
  { name: 'patient', description: 'The person the Flag is about (the infant, or the mother before birth): `Patient/{id}` or `{id}`.' },
  { name: 'code', description: 'The safeguarding rule that raised the Flag: `{system}|{code}` or `{code}` (https://fhir.cradle.org.uk/CodeSystem/safeguarding-rule).' },
  { name: 'status', description: 'The Flag status after the change: `active` or `inactive`.' },
] as const;

const FLAG_STATUSES = ['active', 'inactive', 'entered-in-error'];
const PATIENT_REF = /^(?:Patient\/)?([A-Za-z0-9\-.]{1,64})$/;

/** Parses one filter-criteria value; `error` says what is wrong, without echoing the value. */
export function parseFilterCriteria(value: string): { filters: FlagFilter[] } | { error: string } {
  if (!value.startsWith('Flag?')) return { error: 'filter criteria must start with "Flag?" (the topic\'s resource)' };
  const filters: FlagFilter[] = [];
  for (const [name, raw] of new URLSearchParams(value.slice(5))) {
    const values = raw.split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) return { error: `filter parameter ${name} has an empty value` };
    const filter = parseParameter(name, values);
    if ('error' in filter) return filter;
    filters.push(filter);
  }
  if (filters.length === 0) return { error: 'filter criteria name no parameter' };
  return { filters };
}

function parseParameter(name: string, values: string[]): FlagFilter | { error: string } {
  switch (name) {
    case 'patient': {
      const ids = values.map((v) => PATIENT_REF.exec(v)?.[1]);
      if (ids.some((id) => id === undefined)) return { error: 'patient filter takes Patient/{id} or {id}' };
      return { param: 'patient', patients: ids as string[] };
    }
    case 'code':
      return { param: 'code', tokens: values.map(parseToken) };
    case 'status':
      if (values.some((v) => !FLAG_STATUSES.includes(v))) return { error: `status filter takes ${FLAG_STATUSES.join(', ')}` };
      return { param: 'status', statuses: values };
    default:
      return { error: `filter parameter ${name} is not supported on this topic (supported: ${FILTER_PARAMETERS.map((p) => p.name).join(', ')})` };
  }
}

function parseToken(value: string): { system?: string; code: string } {
  const bar = value.indexOf('|');
  return bar < 0 ? { code: value } : { system: value.slice(0, bar), code: value.slice(bar + 1) };
}

/** True when the Flag (as it is after the change) passes every filter. */
export function matchesFilters(flag: Flag, filters: readonly FlagFilter[]): boolean {
  return filters.every((f) => matchesFilter(flag, f));
}

function matchesFilter(flag: Flag, filter: FlagFilter): boolean {
  switch (filter.param) {
    case 'patient':
      return filter.patients.some((id) => flag.subject?.reference === `Patient/${id}`);
    case 'code':
      return filter.tokens.some((t) => (flag.code.coding ?? []).some((c) =>
        c.code === t.code && (t.system === undefined || (c.system ?? '') === t.system)));
    case 'status':
      return filter.statuses.includes(flag.status);
  }
}
