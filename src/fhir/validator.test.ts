import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { checkBaseRules } from './base-rules.js';
import { PROFILE } from './canonical.js';
import { breakBaseRule, corpus, mutate, r4Ajv, random } from './fhir-corpus.fixture.js';
import { checkProfiles } from './profile-check.js';
import type { AnyResource } from './types.js';
import { validateResource, validateResources } from './validator.js';

const EXTERNAL = join(packageRoot, 'tests/data/external/fhir-r4');
const where = (r: unknown) => validateResource(r).map((i) => i.expression?.[0]);

describe('validateResource (official R4 schema + Cradle profiles)', () => {
  it('accepts valid resources and names each invalid field as FHIRPath', () => {
    expect(validateResource({ resourceType: 'Patient', birthDate: '2020-02-29', name: [{ family: 'X' }] })).toEqual([]);
    expect(where({ resourceType: 'Patient', birthDate: '2020-13-01', gender: 'f', name: [{ given: 'Ann' }] }))
      .toEqual(expect.arrayContaining(['Patient.birthDate', 'Patient.gender', 'Patient.name[0].given']));
    expect(where({ resourceType: 'Patient', colour: 'blue' })).toEqual(['Patient.colour']);
  });

  it('gives one precise error for an unknown resource type and inside a Bundle', () => {
    expect(validateResource({ resourceType: 'Nope' })).toHaveLength(1);
    expect(where({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 'ten' } } }] }))
      .toEqual(['Bundle.entry[0].resource.valueQuantity.value']);
  });

  it('refuses null or scalar values where the spec expects an element (the official schema lets them through)', () => {
    expect(where({ resourceType: 'Bundle', type: 'collection', entry: [null] })).toEqual(['Bundle.entry[0]']);
    expect(where({ resourceType: 'Patient', name: [42] })).toEqual(['Patient.name[0]']);
  });

  it('checks Cradle profiles: extension slices, category pattern, required binding, reference type', () => {
    const flag = {
      resourceType: 'Flag', meta: { profile: [PROFILE.safeguardingFlag] }, status: 'active',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'safety' }] }],
      code: { coding: [{ system: 'https://fhir.cradle.org.uk/CodeSystem/safeguarding-rule', code: 'made-up-rule' }] },
      subject: { reference: 'Group/1' }, period: {},
    };
    expect(where(flag)).toEqual(expect.arrayContaining([
      'Flag.extension:priority', 'Flag.extension:ruleVersion', 'Flag.identifier', 'Flag.category', 'Flag.code', 'Flag.subject', 'Flag.period.start',
    ]));
  });

  it('accepts real Synthea R4 Bundles (tests/data/external, Apache-2.0)', () => {
    for (const dir of ['synthea']) {
      for (const file of readdirSync(join(EXTERNAL, dir))) {
        const resource = JSON.parse(readFileSync(join(EXTERNAL, dir, file), 'utf8'));
        expect(validateResource(resource), file).toEqual([]);
      }
    }
  });

  it('gives exactly the issues ajv, checkBaseRules and checkProfiles give, on 10,000 changed resources', () => {
    const ajv = r4Ajv();
    const flag = {
      resourceType: 'Flag', meta: { profile: [PROFILE.safeguardingFlag] }, status: 'active',
      code: { coding: [{ system: 'https://fhir.cradle.org.uk/CodeSystem/safeguarding-rule', code: 'made-up-rule' }] },
      subject: { reference: 'Group/1' },
    };
    const seeds = [...corpus(), flag];
    const next = random(7);
    let checked = 0;
    for (let i = 0; i < 10_000; i++) {
      const seed = seeds[i % seeds.length];
      const changed = i % 2 === 0 ? mutate(seed, next) : breakBaseRule(seed, next);
      const issues = validateResource(changed);
      if (!ajv(changed)) {
        expect(issues.length, JSON.stringify(changed).slice(0, 300)).toBeGreaterThan(0);
        continue;
      }
      const resource = changed as AnyResource;
      expect(issues, JSON.stringify(changed).slice(0, 300)).toEqual([...checkBaseRules(resource), ...checkProfiles(resource)]);
      if (issues.length > 0) checked++;
    }
    expect(checked).toBeGreaterThan(1_500);
  });

  it('prefixes each resource\'s issues with its Type/id, in order', () => {
    const issues = validateResources([
      { resourceType: 'Patient', id: 'p', meta: {} } as AnyResource,
      { resourceType: 'Patient', id: 'ok' } as AnyResource,
      { resourceType: 'Observation', code: { text: 'x' } } as AnyResource,
    ]);
    expect(issues.map((i) => i.diagnostics)).toEqual([
      'Patient/p: Patient.meta must not be an empty object: FHIR JSON leaves out elements that have no value',
      'Observation/?: Observation.status is required (min 1 in the R4 Observation definition)',
    ]);
  });
});
