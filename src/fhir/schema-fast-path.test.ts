import { describe, expect, it } from 'vitest';
import { corpus, mutate, r4Ajv, random } from './fhir-corpus.fixture.js';
import { preparedR4Schema } from './r4-schema.js';
import { compileFastPath } from './schema-fast-path.js';

const schema = preparedR4Schema();
const ajvValid = r4Ajv();
const fast = compileFastPath(schema);

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

  it('agrees with ajv exactly on 30,000 more mutations, Bundles included: it leaves nothing valid to ajv', () => {
    let accepted = 0;
    for (const seed of [1, 2, 3]) {
      const next = random(seed);
      for (let i = 0; i < 10_000; i++) {
        // Twice mutated, so some changes land inside the Bundles' entries.
        const mutated = mutate(mutate(resources[i % resources.length], next), next);
        const ajvSays = ajvValid(mutated);
        if (ajvSays) accepted++;
        if (fast(mutated) !== ajvSays) expect.fail(`fast path ${!ajvSays}, ajv ${ajvSays}: ${JSON.stringify(mutated).slice(0, 300)}`);
      }
    }
    expect(accepted).toBeGreaterThan(1_000);
    expect(accepted).toBeLessThan(27_000);
  });

  it('refuses what the R4 schema refuses: nulls, unknown types and elements, bad patterns, non-JSON objects', () => {
    for (const bad of [null, 'Patient', [], { resourceType: 'Nope' }, { resourceType: 'Patient', colour: 'blue' },
      { resourceType: 'Patient', birthDate: '2020-13-01' }, { resourceType: 'Patient', name: [null] },
      { resourceType: 'Patient', active: 'yes' }, { resourceType: 'Observation', status: 'final' }, new Map(),
      { resourceType: 'Patient', id: 'a'.repeat(65) }, { resourceType: 'Patient', name: [{ family: 'A\u00a0B' }] },
      { resourceType: 'Patient', meta: { profile: ['http://x y'] } }, { resourceType: 'Patient', gender: 'female ' },
      { resourceType: 'Patient', deceasedBoolean: 'true' }, { resourceType: 'Observation', status: 'final', code: {}, valueQuantity: { value: '1' } }]) {
      expect(fast(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(fast(Object.assign(Object.create({ inherited: true }), { resourceType: 'Patient' }))).toBe(false);
    expect(fast({ resourceType: 'Patient', name: [Object.assign(Object.create({ family: 'X' }), { given: ['A'] })] })).toBe(false);
  });
});

describe('compileFastPath on other schemas', () => {
  it('is not sure of any keyword it does not implement, so ajv decides', () => {
    expect(compileFastPath({ type: 'string', maxLength: 3 })('ab')).toBe(false);
    expect(compileFastPath({ type: 'object', additionalProperties: { type: 'string' } })({})).toBe(false);
    expect(compileFastPath({ oneOf: [{ type: 'string' }] })('a')).toBe(false);
    expect(compileFastPath({ $ref: '#/definitions/missing' })('a')).toBe(false);
    expect(compileFastPath({ type: ['string', 'null'] })('a')).toBe(false);
    expect(compileFastPath({ enum: [{ a: 1 }] })({ a: 1 })).toBe(false);
    // A property named like Object.prototype's would be found on every object.
    expect(compileFastPath({ properties: { constructor: { type: 'string' } } })({})).toBe(false);
  });

  it('follows recursive definitions', () => {
    const check = compileFastPath({
      definitions: { Node: { type: 'object', additionalProperties: false, properties: { next: { $ref: '#/definitions/Node' } } } },
      $ref: '#/definitions/Node',
    });
    expect(check({ next: { next: {} } })).toBe(true);
    expect(check({ next: { next: { other: 1 } } })).toBe(false);
  });

  it('applies each keyword only to the values it constrains, as JSON Schema does', () => {
    const open = compileFastPath({ properties: { a: { type: 'string' } }, required: ['b'] });
    expect(open({ b: 1, a: 'x', c: [] })).toBe(true);
    expect(open({ b: 1, a: 2 })).toBe(false);
    expect(open({ a: 'x' })).toBe(false);
    expect(open('not an object')).toBe(true);
    const pattern = compileFastPath({ pattern: '^a+$' });
    expect([pattern('aa'), pattern('ab'), pattern(3), pattern({})]).toEqual([true, false, true, true]);
    const items = compileFastPath({ items: { type: 'integer' } });
    expect([items([1, 2]), items([1, 2.5]), items('x')]).toEqual([true, false, true]);
    expect(compileFastPath(true as unknown as Record<string, unknown>)({ anything: 1 })).toBe(true);
  });

  it('nests object schemas written inline, and tells properties of equal length apart', () => {
    const check = compileFastPath({
      type: 'object', additionalProperties: false,
      properties: {
        abc: { type: 'object', additionalProperties: false, properties: { x: { const: 1 } } },
        abd: { items: { type: 'object', additionalProperties: false, properties: { y: { enum: ['p', 'q'] } } } },
        xbc: { enum: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 1, null] },
      },
    });
    expect(check({ abc: { x: 1 }, abd: [{ y: 'q' }], xbc: null })).toBe(true);
    expect(check({ abc: { x: 2 } })).toBe(false);
    expect(check({ abd: [{ y: 'r' }] })).toBe(false);
    expect(check({ abd: [{ z: 'p' }] })).toBe(false);
    expect(check({ xbc: 'j' })).toBe(true);
    expect(check({ xbc: 'k' })).toBe(false);
    expect(check({ xbd: 'a' })).toBe(false);
    expect(check({ abc: undefined })).toBe(true);
  });
});
