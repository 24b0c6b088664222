import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../fhir/canonical.js';
import type { AnyResource, Identifier } from '../fhir/types.js';
import { deriveFamilyMembers } from './family-edges.js';
import { mergePatient } from './merge-patient.js';

const id = (value: string): Identifier[] => [{ system: SYSTEM.nhsNumber, value }];
const rp = (patient: string, code: string, who?: string): AnyResource => ({
  resourceType: 'RelatedPerson', patient: { reference: `Patient/${patient}` },
  relationship: [{ coding: [{ system: SYSTEM.v3RoleCode, code }] }], ...(who ? { identifier: id(who) } : {}),
});
const people: Record<string, string> = { '111': 'mum', '222': 'dad', '333': 'sib', '444': 'gran' };
const personOf = (ids: readonly Identifier[]) => ids.map((i) => people[i.value!]).find(Boolean);

describe('deriveFamilyMembers', () => {
  it('keys the family by the mother and gives every identified person a role', () => {
    const resources: AnyResource[] = [
      { resourceType: 'EpisodeOfCare', status: 'active', patient: { reference: 'Patient/mum' }, type: [{ coding: [{ system: SYSTEM.snomed, code: '77386006' }] }] },
      rp('mum', 'DOMPART', '222'), rp('mum', 'CHILD', '333'), rp('mum', 'GRPRN', '444'), rp('mum', 'ROOM'),
      rp('baby', 'MTH', '111'), rp('baby', 'FTH', '222'),
    ];
    const members = deriveFamilyMembers(resources, personOf).map((m) => `${m.familyKey}:${m.personId}:${m.role}`).sort();
    expect(members).toEqual(['mum:baby:child', 'mum:dad:partner', 'mum:gran:household-adult', 'mum:mum:mother', 'mum:sib:child'].sort());
  });

  it('reads household members named on a child (social care) into the mother\'s family', () => {
    const members = deriveFamilyMembers([rp('baby', 'MTH', '111'), rp('baby', 'STPFTH', '222'), rp('baby', 'SIB', '333'), rp('baby', 'GRPRN', '444')], personOf)
      .map((m) => `${m.personId}:${m.role}`).sort();
    expect(members).toEqual(['baby:child', 'dad:partner', 'gran:household-adult', 'mum:mother', 'sib:child']);
  });

  it('finds the mother from a baby\'s MTH relationship when no pregnancy is recorded', () => {
    expect(deriveFamilyMembers([rp('baby', 'MTH', '111')], personOf).map((m) => m.role).sort()).toEqual(['child', 'mother']);
  });
});

describe('mergePatient', () => {
  it('lets the later source win single facts and accumulates identifiers and links', () => {
    const merged = mergePatient('p', [
      { content: { resourceType: 'Patient', id: 'x', identifier: id('111'), name: [{ family: 'Old' }], birthDate: '1990-01-01' } },
      { content: { resourceType: 'Patient', id: 'y', identifier: [{ system: 'local', value: 'L1' }], name: [{ family: 'New' }], generalPractitioner: [{ display: 'GP' }] } },
    ]);
    expect(merged).toMatchObject({ id: 'p', name: [{ family: 'New' }], birthDate: '1990-01-01', generalPractitioner: [{ display: 'GP' }] });
    expect(merged.identifier).toEqual([...id('111'), { system: 'local', value: 'L1' }]);
  });

  it('keeps links that name the other patient only by identifier apart', () => {
    const merged = mergePatient('p', [{ content: { resourceType: 'Patient', link: [
      { type: 'replaces', other: { identifier: { system: 's', value: 'A' } } },
      { type: 'replaces', other: { identifier: { system: 's', value: 'B' } } },
    ] } }]);
    expect(merged.link).toHaveLength(2);
  });
});
