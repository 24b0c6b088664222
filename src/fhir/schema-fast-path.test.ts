import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../util/package-root.js';
import { Ajv } from './ajv.js';
import { draft06MetaSchema, preparedR4Schema } from './r4-schema.js';
import { compileFastPath } from './schema-fast-path.js';

const schema = preparedR4Schema();
const ajv = new Ajv({ discriminator: true, allErrors: true, strict: false, allowUnionTypes: true, validateFormats: false });
ajv.addMetaSchema(draft06MetaSchema());
const ajvValid = ajv.compile(schema);
const fast = compileFastPath(schema);

/** Every resource in the golden cases' expected Bundles and the Synthea samples. */
function corpus(): unknown[] {
  const files = [
    ...readdirSync(join(packageRoot, 'mappings')).flatMap((source) => {
      const dir = join(packageRoot, 'mappings', source, 'cases');
      try {
        return readdirSync(dir).filter((f) => f.endsWith('.expected.json')).map((f) => join(dir, f));
      } catch {
        return [];
      }
    }),
    ...readdirSync(join(packageRoot, 'tests/data/external/fhir-r4/synthea')).map((f) => join(packageRoot, 'tests/data/external/fhir-r4/synthea', f)),
  ];
  return files.flatMap((file) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { resourceType?: string; entry?: Array<{ resource?: unknown }> };
    return json.resourceType === 'Bundle' ? [json, ...(json.entry ?? []).map((e) => e.resource)] : [];
  });
}

/** A small deterministic random source for the mutations. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
}

const ODD_VALUES: unknown[] = [null, '', ' ', 'x', '2026-13-40', 'a b', 42, 1.5, -0, true, false, [], [null], {}, { unknown: 1 }, { url: 'x' }, ['x'], [{}]];

/** One random change somewhere in a JSON value: replace a value, add a key, delete a key. */
function mutate(value: unknown, next: () => number): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (let depth = 0; depth < 6; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[Math.floor(next() * keys.length)]!;
    const child = node[key];
    if (child && typeof child === 'object' && next() < 0.7) {
      node = child as Record<string, unknown>;
      continue;
    }
    const roll = next();
    if (roll < 0.6) node[key] = ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
    else if (roll < 0.8) node[`x${key}`] = 'added';
    else delete node[key];
    break;
  }
  return copy;
}

describe('compileFastPath on the R4 schema', () => {
  const resources = corpus();

  it('clears every valid resource of the golden cases and Synthea without ajv', () => {
    expect(resources.length).toBeGreaterThan(100);
    for (const r of resources) {
      expect(ajvValid(r)).toBe(true);
      expect(fast(r)).toBe(true);
    }
  });

  it('never clears what ajv rejects: 10,000 random mutations of those resources', () => {
    const single = resources.filter((r) => (r as { resourceType?: string }).resourceType !== 'Bundle');
    const next = random(10);
    let rejected = 0;
    for (let i = 0; i < 10_000; i++) {
      const mutated = mutate(single[i % single.length], next);
      const ajvSays = ajvValid(mutated);
      if (!ajvSays) rejected++;
      if (fast(mutated)) expect(ajvSays, JSON.stringify(mutated).slice(0, 300)).toBe(true);
    }
    expect(rejected).toBeGreaterThan(2_500);
  });

  it('refuses what the R4 schema refuses: nulls, unknown types and elements, bad patterns, non-JSON objects', () => {
    for (const bad of [null, 'Patient', [], { resourceType: 'Nope' }, { resourceType: 'Patient', colour: 'blue' },
      { resourceType: 'Patient', birthDate: '2020-13-01' }, { resourceType: 'Patient', name: [null] },
      { resourceType: 'Patient', active: 'yes' }, { resourceType: 'Observation', status: 'final' }, new Map()]) {
      expect(fast(bad)).toBe(false);
    }
    expect(fast(Object.assign(Object.create({ inherited: true }), { resourceType: 'Patient' }))).toBe(false);
  });
});

describe('compileFastPath on other schemas', () => {
  it('is not sure of any keyword it does not implement, so ajv decides', () => {
    expect(compileFastPath({ type: 'string', maxLength: 3 })('ab')).toBe(false);
    expect(compileFastPath({ type: 'object', additionalProperties: { type: 'string' } })({})).toBe(false);
    expect(compileFastPath({ oneOf: [{ type: 'string' }] })('a')).toBe(false);
    expect(compileFastPath({ $ref: '#/definitions/missing' })('a')).toBe(false);
  });

  it('follows recursive definitions', () => {
    const check = compileFastPath({
      definitions: { Node: { type: 'object', additionalProperties: false, properties: { next: { $ref: '#/definitions/Node' } } } },
      $ref: '#/definitions/Node',
    });
    expect(check({ next: { next: {} } })).toBe(true);
    expect(check({ next: { next: { other: 1 } } })).toBe(false);
  });
});
