import { describe, expect, it } from 'vitest';
import { deterministicId } from '../../src/mapping/ids.js';
import type { MaternityRecord } from './record.js';
import { MaternityScope } from './scope.js';

const record: MaternityRecord = {
  recordType: 'maternity-record',
  recordId: 'RHM-PREG-1|2',
  version: 1,
  updatedAt: '2026-11-01T09:00:00Z',
  organisation: { odsCode: 'RHM', name: 'University Hospital Southampton' },
  mother: { localId: 'M1', nhsNumber: '9990000018', birthDate: '1990-01-01' },
  partner: { known: false },
  householdMembers: [
    { localId: 'H1', relationshipToMother: 'child', nhsNumber: '9990000026' },
    { localId: 'H2', relationshipToMother: 'lodger', identified: false },
  ],
  babies: [{ localId: 'B:1' }],
};
const ctx = { messageId: 'm1', receivedAt: '2026-11-30T12:00:00Z', source: 'maternity' };

describe('MaternityScope (works out a record\'s ids and subjects once)', () => {
  const scope = new MaternityScope(record, ctx);
  const inRecord = (...parts: string[]) => deterministicId('maternity', 'RHM', 'RHM-PREG-1|2', ...parts);
  const mother = `Patient/${deterministicId('person', 'nhs', '9990000018')}`;

  it('mints the same ids as deterministicId under the record', () => {
    expect(scope.id('contact', 'C1')).toBe(inRecord('contact', 'C1'));
    expect(scope.episodeId).toBe(inRecord('pregnancy'));
    expect(scope.babyIds.get('B:1')).toBe(inRecord('baby', 'B:1'));
  });

  it('resolves every kind of subject, the same on every call', () => {
    const expected = {
      'mother': { patient: { reference: mother } },
      'partner': { patient: { reference: mother }, about: { reference: `RelatedPerson/${inRecord('related-person', 'partner')}` } },
      'baby:B:1': { patient: { reference: `Patient/${inRecord('baby', 'B:1')}` } },
      'household:H1': { patient: { reference: `Patient/${deterministicId('person', 'nhs', '9990000026')}` } },
      'household:H2': { patient: { reference: mother }, about: { reference: `RelatedPerson/${inRecord('related-person', 'household', 'H2')}` } },
    };
    for (const [subject, want] of Object.entries(expected)) {
      expect(scope.subject(subject), subject).toEqual(want);
      expect(scope.subject(subject), `${subject} again`).toEqual(want);
    }
  });

  it('hands out fresh Reference objects, so no two resources share one', () => {
    expect(scope.subject('mother').patient).not.toBe(scope.subject('mother').patient);
    expect(scope.subject('partner').about).not.toBe(scope.subject('partner').about);
    expect(scope.mother).not.toBe(scope.mother);
    expect(scope.episodeExtension.valueReference).not.toBe(scope.episodeExtension.valueReference);
    expect(scope.organisation.identifier).not.toBe(scope.organisation.identifier);
    expect(scope.organisation).toEqual({ type: 'Organization', identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'RHM' }, display: 'University Hospital Southampton' });
  });
});
