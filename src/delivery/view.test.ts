import { describe, expect, it } from 'vitest';
import type { RecipientConfig } from '../config/config.js';
import { CS, SYSTEM } from '../fhir/canonical.js';
import type { DetectedIssue, Flag, Patient, Provenance } from '../fhir/types.js';
import { validateResource } from '../fhir/validator.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import { reconcileAlerts } from '../rules/alerts.js';
import { bruisingNonMobileInfant } from '../rules/bruising-non-mobile-infant.js';
import { runRules } from '../rules/engine.js';
import { PictureBuilder } from '../rules/picture.fixture.js';
import { routeFamily } from './routing.js';
import { buildView } from './view.js';

const recipient = (id: string, routing: Partial<RecipientConfig['routing']>): RecipientConfig => ({
  id, kind: 'health-visiting', name: id, endpoint: { baseUrl: 'https://x', auth: { type: 'none' }, timeoutMs: 1000 },
  routing: { gpPractices: [], postcodePrefixes: [], caseload: [], localAuthorities: [], ...routing }, safeguardingContacts: [],
});

function flaggedPicture(): FamilyPicture {
  const b = new PictureBuilder('mum')
    .person('mum', 'mother', { identifier: [{ system: SYSTEM.nhsNumber, value: '9434765919' }], name: [{ family: 'Smith' }], birthDate: '1999-04-01',
      address: [{ line: ['1 High Street'], postalCode: 'SO16 6YD' }], generalPractitioner: [{ identifier: { system: SYSTEM.odsOrganisation, value: 'J82001' } }], telecom: [{ system: 'phone', value: '0777' }] })
    .baby('b1', '2026-11-18T03:20:00Z').finding('b1', 'bruise', '2026-11-28T11:00:00Z', { site: 'left cheek' });
  const picture = b.build();
  const { resources } = reconcileAlerts(picture, runRules(picture, [bruisingNonMobileInfant], {}, '2026-11-28T12:00:00Z'), '2026-11-28T12:00:00Z');
  return { ...picture, flags: resources.filter((r): r is Flag => r.resourceType === 'Flag'), detectedIssues: resources.filter((r): r is DetectedIssue => r.resourceType === 'DetectedIssue') };
}

describe('routeFamily', () => {
  it('follows the mother\'s practice and postcode until the baby has its own', () => {
    const picture = flaggedPicture();
    const routes = routeFamily(picture, [recipient('gp', { gpPractices: ['J82001'] }), recipient('hv', { postcodePrefixes: ['SO16'] }), recipient('other', { postcodePrefixes: ['BH1'] })]);
    expect(routes.map((r) => [r.recipient.id, r.reason])).toEqual([['gp', 'gp-practice'], ['hv', 'postcode']]);
    const registered = { ...picture, patients: new Map([...picture.patients, ['b1', { ...picture.patients.get('b1')!, generalPractitioner: [{ identifier: { system: SYSTEM.odsOrganisation, value: 'K99999' } }] }]]) };
    expect(routeFamily(registered, [recipient('gp', { gpPractices: ['J82001'] })])).toEqual([]);
  });
});

describe('routeFamily by caseload and local authority', () => {
  it('routes a health visiting caseload by NHS number and social care by the plan\'s local authority', () => {
    const picture = new PictureBuilder('mum', { identifier: [{ system: SYSTEM.nhsNumber, value: '9434765919' }] })
      .baby('b1', '2026-11-18T03:20:00Z', { identifier: [{ system: SYSTEM.nhsNumber, value: '9434765846' }] })
      .person('sib', 'child', { birthDate: '2022-02-02' })
      .add({ resourceType: 'EpisodeOfCare', status: 'active', patient: { reference: 'Patient/sib' }, type: [{ coding: [{ system: CS.socialCareEpisode, code: 'cp-plan' }] }],
        contained: [{ resourceType: 'Organization', id: 'la', identifier: [{ system: SYSTEM.laGssCode, value: 'E10000014' }] }], managingOrganization: { reference: '#la' } })
      .build();
    const routes = routeFamily(picture, [recipient('hv-caseload', { caseload: ['9434765846'] }), { ...recipient('hcc', { localAuthorities: ['E10000014'] }), kind: 'social-care' }, recipient('other', { localAuthorities: ['E10000015'] })]);
    expect(routes.map((r) => [r.recipient.id, r.reason])).toEqual([['hv-caseload', 'caseload'], ['hcc', 'local-authority']]);
  });
});

describe('buildView', () => {
  it('is a valid transaction of conditional updates with the minimum necessary, tagged read-only', () => {
    const view = buildView(flaggedPicture(), recipient('hv', {}), '2026-11-28T12:00:00Z')!;
    expect(view.type).toBe('transaction');
    expect(validateResource(view)).toEqual([]);
    const urls = view.entry!.map((e) => `${e.request!.method} ${decodeURIComponent(e.request!.url).split('=')[0]}`);
    expect(urls).toEqual(['PUT Patient?identifier', 'PUT Patient?identifier', 'PUT Flag?identifier', 'PUT DetectedIssue?identifier', expect.stringMatching(/^PUT Provenance\//)]);
    const mum = view.entry!.map((e) => e.resource).find((r) => r?.resourceType === 'Patient' && (r as Patient).name) as Patient;
    // Health visitors get the postcode (they visit at home), not the street; no phone number.
    expect(Object.keys(mum).sort()).toEqual(['address', 'birthDate', 'identifier', 'meta', 'name', 'resourceType']);
    expect(mum.address).toEqual([{ use: 'home', postalCode: 'SO16 6YD' }]);
    const gpView = buildView(flaggedPicture(), { ...recipient('gp', {}), kind: 'gp-practice' }, '2026-11-28T12:00:00Z')!;
    const gpMum = gpView.entry!.map((e) => e.resource).find((r) => r?.resourceType === 'Patient' && (r as Patient).name) as Patient;
    expect(gpMum.address).toBeUndefined();
    for (const e of view.entry!) expect(e.resource!.meta?.tag?.[0]?.code).toBe('read-only');
    const flag = view.entry!.find((e) => e.resource?.resourceType === 'Flag')!.resource as Flag;
    expect(flag.subject!.reference).toMatch(/^urn:uuid:/);
    const provenance = view.entry!.at(-1)!.resource as Provenance;
    expect(provenance.policy).toEqual(expect.arrayContaining(['https://www.legislation.gov.uk/ukpga/2018/12/schedule/1']));
  });

  it('is the same view when nothing changed, so redelivery is skipped', () => {
    expect(JSON.stringify(buildView(flaggedPicture(), recipient('hv', {}), '2026-11-28T12:00:00Z')))
      .toBe(JSON.stringify(buildView(flaggedPicture(), recipient('hv', {}), '2026-12-30T00:00:00Z')));
  });

  it('sends nothing for a family without Flags', () => {
    expect(buildView(new PictureBuilder().build(), recipient('hv', {}), '2026-11-28T12:00:00Z')).toBeUndefined();
  });
});
