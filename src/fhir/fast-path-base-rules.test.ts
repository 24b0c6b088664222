import { describe, expect, it } from 'vitest';
import { checkBaseRules, requiredPropertyNames } from './base-rules.js';
import { breakBaseRule, corpus, mutate, r4Ajv, random } from './fhir-corpus.fixture.js';
import { preparedR4Schema } from './r4-schema.js';
import { compileFastPathWithBaseRules, type FastVerdict } from './schema-fast-path.js';
import type { AnyResource } from './types.js';

const ajvValid = r4Ajv();
const verdict = compileFastPathWithBaseRules(preparedR4Schema(), requiredPropertyNames);

/** What the verdict must be: ajv's answer, then whether checkBaseRules finds anything. */
function expected(value: unknown): FastVerdict {
  if (!ajvValid(value)) return 'unsure';
  return checkBaseRules(value as AnyResource).length === 0 ? 'clean' : 'valid';
}

describe('compileFastPathWithBaseRules: the fast path that also answers for checkBaseRules', () => {
  const resources = corpus();

  it('finds every resource of the golden cases and Synthea clean', () => {
    for (const r of resources) expect(verdict(r)).toBe('clean');
  });

  it('answers exactly as ajv then checkBaseRules would, on 20,000 changes aimed at the base rules', () => {
    const seen = { clean: 0, valid: 0, unsure: 0 };
    for (const seed of [4, 5]) {
      const next = random(seed);
      for (let i = 0; i < 10_000; i++) {
        const changed = breakBaseRule(resources[i % resources.length], next);
        const got = verdict(changed);
        seen[got]++;
        if (got !== expected(changed)) expect.fail(`${got}, expected ${expected(changed)}: ${JSON.stringify(changed).slice(0, 400)}`);
      }
    }
    // Each answer is exercised: the changes break base rules, keep them, or break the schema.
    expect(seen.valid).toBeGreaterThan(5_000);
    expect(seen.clean).toBeGreaterThan(500);
    expect(seen.unsure).toBeGreaterThan(500);
  });

  it('answers exactly as ajv then checkBaseRules would, on 10,000 random mutations', () => {
    const next = random(6);
    let valid = 0;
    for (let i = 0; i < 10_000; i++) {
      const mutated = mutate(resources[i % resources.length], next);
      const got = verdict(mutated);
      if (got === 'valid') valid++;
      if (got !== expected(mutated)) expect.fail(`${got}, expected ${expected(mutated)}: ${JSON.stringify(mutated).slice(0, 400)}`);
    }
    expect(valid).toBeGreaterThan(100);
  });

  it('is not clean for each base rule, however deep', () => {
    const obs = { resourceType: 'Observation', status: 'final', code: { text: 'x' } };
    const cases: Array<[unknown, FastVerdict]> = [
      [obs, 'clean'],
      [{ ...obs, status: undefined }, 'valid'],
      [{ ...obs, status: undefined, _status: { extension: [{ url: 'http://a', valueCode: 'unknown' }] } }, 'clean'],
      [{ ...obs, meta: {} }, 'valid'],
      [{ ...obs, category: [] }, 'valid'],
      [{ ...obs, code: { coding: [{ extension: [{ valueString: 'no url' }] }] } }, 'valid'],
      [{ ...obs, modifierExtension: [{ url: 'http://a', extension: [{ valueString: 'x' }] }] }, 'valid'],
      [{ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { ...obs, status: undefined } }] }, 'valid'],
      [{ ...obs, contained: [{ resourceType: 'Account', id: 'a' }] }, 'valid'],
      [{ ...obs, contained: [{ resourceType: 'Account', id: 'a', status: 'active' }] }, 'clean'],
      [{ ...obs, colour: 'blue' }, 'unsure'],
      // It resets between calls: a clean resource after one that was not is clean.
      [obs, 'clean'],
    ];
    for (const [value, answer] of cases) {
      expect(verdict(value), JSON.stringify(value)).toBe(answer);
      expect(expected(value), JSON.stringify(value)).toBe(answer);
    }
  });

  it('is not clean wherever the schema lets a value through without walking it', () => {
    const required = (type: string) => (type === 'T' ? [['s', '_s']] : undefined);
    const open = compileFastPathWithBaseRules({ type: 'object', properties: { resourceType: { const: 'T' }, s: { type: 'string' } } }, required);
    expect(open({ resourceType: 'T', s: 'x' })).toBe('valid');
    const closed = compileFastPathWithBaseRules({ type: 'object', additionalProperties: false, properties: {
      resourceType: { const: 'T' }, s: { type: 'string' }, any: {}, extension: { $ref: '#/definitions/List' },
    }, definitions: { List: { type: 'array' } } }, required);
    expect(closed({ resourceType: 'T', s: 'x' })).toBe('clean');
    expect(closed({ resourceType: 'T' })).toBe('valid');
    expect(closed({ resourceType: 'T', s: 'x', any: 1 })).toBe('clean');
    expect(closed({ resourceType: 'T', s: 'x', any: { a: {} } })).toBe('valid');
    expect(closed({ resourceType: 'T', s: 'x', extension: [{ url: 'u' }] })).toBe('valid');
  });
});
