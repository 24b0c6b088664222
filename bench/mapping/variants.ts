import type { AnyResource } from '../../src/fhir/types.js';

type Json = Record<string, unknown>;

/** One resource for the validator comparison: valid output of the mapping, or a mutated copy. */
export interface Variant {
  kind: string;
  resource: unknown;
}

/** The element that holds the resource's main date, per type (for the date mutations). */
const DATE_FIELD: Record<string, string> = {
  Patient: 'birthDate', RelatedPerson: 'birthDate', Observation: 'effectiveDateTime', Appointment: 'start',
  Provenance: 'recorded', ServiceRequest: 'authoredOn', Condition: 'recordedDate',
};
const SUBJECT_FIELD = ['subject', 'patient', 'participant', 'target'];
/** Per type, a property the R4 JSON schema lists as required (besides resourceType). */
const REQUIRED: Record<string, string> = {
  Observation: 'code', Encounter: 'class', Appointment: 'participant', Condition: 'subject', ServiceRequest: 'subject',
  Provenance: 'agent', EpisodeOfCare: 'patient', RelatedPerson: 'patient',
};

/**
 * Mutations of valid resources, one kind each, covering what a mapping bug or a bad
 * sender produces: wrong JSON types, unknown elements, bad codes and date formats,
 * missing required elements, nulls and empties. A mutation returns undefined where it
 * does not apply to a resource. Some are invalid FHIR that the R4 JSON schema cannot see
 * (a missing 1..1 primitive, an empty object, 1.5 as an integer): kept on purpose, so
 * the comparison shows where the two validators legitimately differ.
 */
const MUTATIONS: Record<string, (r: Json) => Json | undefined> = {
  'unknown-element': (r) => ({ ...r, colour: 'blue' }),
  'unknown-nested-element': (r) => ({ ...r, meta: { ...(r.meta as Json), lastEditedBy: 'someone' } }),
  'object-for-array': (r) => ({ ...r, meta: { profile: (r.meta as { profile: string[] }).profile[0] } }),
  'number-for-string': (r) => ({ ...r, id: 12345 }),
  'number-for-code': (r) => (r.status === undefined ? undefined : { ...r, status: 42 }),
  'unknown-code': (r) => (r.status !== undefined ? { ...r, status: 'not-a-status' } : r.resourceType === 'Patient' ? { ...r, gender: 'f' } : undefined),
  'bad-date-format': (r) => withDate(r, '28/11/2026'),
  'date-time-without-zone': (r) => (r.resourceType === 'Observation' ? { ...r, effectiveDateTime: '2026-11-28T11:00:00' } : undefined),
  'impossible-date': (r) => (DATE_FIELD[r.resourceType as string] === 'birthDate' ? { ...r, birthDate: '2026-02-30' } : undefined),
  'missing-required': (r) => without(r, REQUIRED[r.resourceType as string]),
  'missing-status': (r) => (r.status === undefined ? undefined : without(r, 'status')),
  'null-element': (r) => ({ ...r, meta: null }),
  'null-in-array': (r) => ({ ...r, meta: { profile: [null] } }),
  'empty-string': (r) => (Array.isArray(r.identifier) && r.identifier.length
    ? { ...r, identifier: [{ ...(r.identifier[0] as Json), value: '' }, ...r.identifier.slice(1)] } : undefined),
  'empty-object': (r) => ({ ...r, meta: {} }),
  'empty-array': (r) => ({ ...r, meta: { profile: [] } }),
  'reference-as-string': (r) => {
    const field = SUBJECT_FIELD.find((f) => r[f] !== undefined && !Array.isArray(r[f]));
    return field ? { ...r, [field]: 'Patient/123' } : undefined;
  },
  'bad-id': (r) => ({ ...r, id: 'not a valid id!' }),
  'unknown-resource-type': (r) => ({ ...r, resourceType: 'Pregnancy' }),
  'extension-without-url': (r) => ({ ...r, extension: [{ valueBoolean: true }] }),
  'decimal-as-string': (r) => (r.valueQuantity ? { ...r, valueQuantity: { ...(r.valueQuantity as Json), value: '10' } } : undefined),
  'fractional-integer': (r) => (r.valueInteger !== undefined ? { ...r, valueInteger: 1.5 } : undefined),
};

export const VARIANT_KINDS = Object.keys(MUTATIONS);

/**
 * The validator comparison's input: every valid resource given, plus each mutation of a
 * sample of them (the first `perType` resources of each type).
 */
export function variantsOf(valid: readonly AnyResource[], perType: number): Variant[] {
  const taken = new Map<string, number>();
  const bases = valid.filter((r) => {
    const n = taken.get(r.resourceType) ?? 0;
    taken.set(r.resourceType, n + 1);
    return n < perType;
  });
  const mutated = bases.flatMap((base) => Object.entries(MUTATIONS).flatMap(([kind, mutate]) => {
    const resource = mutate(structuredClone(base) as unknown as Json);
    return resource ? [{ kind, resource }] : [];
  }));
  return [...valid.map((resource) => ({ kind: 'valid', resource })), ...mutated];
}

function withDate(r: Json, value: string): Json | undefined {
  const field = DATE_FIELD[r.resourceType as string];
  if (field) return { ...r, [field]: value };
  if (r.period) return { ...r, period: { start: value } };
  return undefined;
}

function without(r: Json, field: string | undefined): Json | undefined {
  if (!field || r[field] === undefined) return undefined;
  const { [field]: _dropped, ...rest } = r;
  return rest;
}
