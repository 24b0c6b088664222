import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../util/package-root.js';
import { checkBaseRules } from './base-rules.js';
import type { AnyResource, Bundle } from './types.js';
import { validateResource } from './validator.js';

const where = (r: unknown) => checkBaseRules(r as AnyResource).map((i) => i.expression?.[0]);
const observation = { resourceType: 'Observation', status: 'final', code: { text: 'weight' } };

describe('checkBaseRules (R4 rules the JSON schema cannot express)', () => {
  it('requires required primitives, given as `name` or as `_name` with an extension', () => {
    expect(where({ resourceType: 'Observation', code: { text: 'weight' } })).toEqual(['Observation.status']);
    for (const type of ['Encounter', 'Appointment', 'EpisodeOfCare']) expect(where({ resourceType: type })).toEqual([`${type}.status`]);
    expect(where({ resourceType: 'ServiceRequest', status: 'active' })).toEqual(['ServiceRequest.intent']);
    expect(where({ resourceType: 'Bundle' })).toEqual(['Bundle.type']);
    const absent = { extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason', valueCode: 'unknown' }] };
    expect(where({ resourceType: 'Observation', _status: absent, code: { text: 'weight' } })).toEqual([]);
    expect(where({ resourceType: 'Patient' })).toEqual([]);
  });

  it('requires a required choice element under any one of its names', () => {
    expect(where({ resourceType: 'Immunization', status: 'completed' })).toEqual(['Immunization.occurrence[x]']);
    expect(where({ resourceType: 'Immunization', status: 'completed', occurrenceString: 'spring 2020' })).toEqual([]);
    expect(where({ resourceType: 'Immunization', status: 'completed', _occurrenceDateTime: { extension: [{ url: 'http://x', valueCode: 'unknown' }] } })).toEqual([]);
    expect(where({ resourceType: 'MedicationRequest', status: 'active', intent: 'order' })).toEqual(['MedicationRequest.medication[x]']);
  });

  it('checks resources inside others: Bundle entries and contained', () => {
    expect(where({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: observation }, { resource: { resourceType: 'Encounter' } }] }))
      .toEqual(['Bundle.entry[1].resource.status']);
    expect(where({ ...observation, contained: [{ resourceType: 'Encounter', id: 'e' }] })).toEqual(['Observation.contained[0].status']);
  });

  it('requires a url on every extension and modifierExtension, at any depth', () => {
    const ext = { valueString: 'x' };
    expect(where({ resourceType: 'Patient', extension: [{ url: 'http://a', valueString: 'x' }, ext] })).toEqual(['Patient.extension[1].url']);
    expect(where({ resourceType: 'Patient', modifierExtension: [ext] })).toEqual(['Patient.modifierExtension[0].url']);
    expect(where({ resourceType: 'Patient', extension: [{ url: 'http://a', extension: [ext] }] })).toEqual(['Patient.extension[0].extension[0].url']);
    expect(where({ resourceType: 'Patient', name: [{ family: 'X', extension: [ext] }] })).toEqual(['Patient.name[0].extension[0].url']);
    expect(where({ resourceType: 'Patient', _birthDate: { extension: [ext] } })).toEqual(['Patient._birthDate.extension[0].url']);
    expect(where({ resourceType: 'Patient', extension: [{ url: 42, valueString: 'x' }] })).toEqual(['Patient.extension[0].url']);
  });

  it('refuses empty objects and arrays anywhere', () => {
    expect(where({ resourceType: 'Patient', meta: {} })).toEqual(['Patient.meta']);
    expect(where({ resourceType: 'Patient', meta: { profile: [] } })).toEqual(['Patient.meta.profile']);
    expect(where({ resourceType: 'Patient', name: [{ family: 'X' }, {}] })).toEqual(['Patient.name[1]']);
    expect(where({ resourceType: 'Patient', identifier: [{ type: { coding: [] } }] })).toEqual(['Patient.identifier[0].type.coding']);
    expect(where({ resourceType: 'Patient', extension: [{ url: 'http://a', valueCodeableConcept: {} }] })).toEqual(['Patient.extension[0].valueCodeableConcept']);
  });

  it('accepts nulls that align a primitive array with its `_` twin', () => {
    expect(where({ resourceType: 'Patient', name: [{ given: ['Ann', 'Bo'], _given: [null, { extension: [{ url: 'http://a', valueString: 'x' }] }] }] })).toEqual([]);
  });

  it('passes every resource Cradle\'s mappings produce in their golden cases', () => {
    let checked = 0;
    for (const source of readdirSync(join(packageRoot, 'mappings'), { withFileTypes: true }).filter((d) => d.isDirectory())) {
      const dir = join(packageRoot, 'mappings', source.name, 'cases');
      let files: string[];
      try { files = readdirSync(dir).filter((f) => f.endsWith('.expected.json')); } catch { continue; }
      for (const file of files) {
        const out = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Bundle | { resourceType: 'OperationOutcome' };
        if (out.resourceType !== 'Bundle') continue;
        expect(checkBaseRules(out), `${source.name}/${file}`).toEqual([]);
        checked += out.entry?.length ?? 0;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('runs in validateResource after the schema passes, and not when it fails', () => {
    expect(validateResource({ resourceType: 'Observation', code: { text: 'weight' }, meta: {} }).map((i) => i.expression?.[0]))
      .toEqual(['Observation.status', 'Observation.meta']);
    expect(validateResource({ resourceType: 'Observation', code: { text: 'weight' }, colour: 'blue' }).map((i) => i.expression?.[0]))
      .toEqual(['Observation.colour']);
  });
});
