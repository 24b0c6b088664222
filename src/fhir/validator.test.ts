import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { PROFILE } from './canonical.js';
import { validateResource } from './validator.js';

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
});
