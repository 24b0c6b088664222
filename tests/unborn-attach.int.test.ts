import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaternityRecord } from '../mappings/maternity/record.js';
import type { SocialCareEvent } from '../mappings/socialcare/record.js';
import { SYSTEM, unbornChildIdentifier } from '../src/fhir/canonical.js';
import type { Bundle, EpisodeOfCare, Patient } from '../src/fhir/types.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';

/**
 * CP-IS keys an unborn child's protection plan on the mother's NHS number and the expected
 * date of birth (DOMAIN.md section 1). The socialcare mapping gives the unborn child a
 * Patient with the identifier `https://fhir.cradle.org.uk/Id/unborn-child` =
 * `<mother NHS>|<expected birth date>` (src/fhir/canonical.ts unbornChildIdentifier), the
 * patient-fetalStatus and expected-birth-date extensions, and a MTH RelatedPerson. When a
 * maternity record brings the birth of a child of that mother close to that date, the
 * identity step must make the two one person, so the plan is found on the baby.
 *
 * The attaching is the identity step's (src/identity, lead's issue); this test states what
 * it must do.
 */
const UNBORN_PLAN = `${SYSTEM.snomed}|818901000000100`;
const EDD = '2026-11-20';

function unbornPlan(n: { mother: string; laChildId: string }): SocialCareEvent {
  return {
    recordType: 'socialcare-event', eventId: `HCC-EV-UNBORN-${n.laChildId}`, occurredAt: '2026-09-15T10:30:00+01:00', event: 'cp-plan-start',
    localAuthority: { code: 'E10000014', name: 'Hampshire County Council', phone: '0300 555 1384', emergencyDutyPhone: '0300 555 1373' },
    child: { laChildId: n.laChildId, expectedBirthDate: EDD, motherNhsNumber: n.mother },
    details: { categoryOfAbuse: 'NEG' },
  };
}

function birth(n: { mother: string; baby: string; recordId: string; born: string }): MaternityRecord {
  return {
    recordType: 'maternity-record', recordId: n.recordId, version: 1, updatedAt: `${n.born.slice(0, 10)}T12:00:00Z`,
    organisation: { odsCode: 'RHM', name: 'University Hospital Southampton' },
    mother: { localId: `RHM-M-${n.mother}`, nhsNumber: n.mother, birthDate: '1999-04-01' },
    pregnancy: { edd: EDD },
    babies: [{ localId: 'B1', nhsNumber: n.baby, birthDate: n.born, sex: 'male' }],
  };
}

describe.each<Mode>(['scaled', 'embedded'])('an unborn child\'s CP plan attaches to the baby at birth (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode);
  });
  afterAll(() => h?.close());

  const search = async (query: string) => ((await (await h.request(`/fhir/${query}`)).json()) as Bundle).entry?.map((e) => e.resource!) ?? [];
  const patientByNhs = async (nhs: string) => (await search(`Patient?identifier=${encodeURIComponent(`${SYSTEM.nhsNumber}|${nhs}`)}`))[0] as Patient | undefined;
  const unbornPlansOf = async (patientId: string) => (await search(`EpisodeOfCare?patient=Patient/${patientId}&type=${encodeURIComponent(UNBORN_PLAN)}`)) as EpisodeOfCare[];

  it('finds the unborn plan on the baby born two days before the expected date to the same mother', async () => {
    const n = { mother: testNhsNumber(80), baby: testNhsNumber(81), laChildId: 'HCC-U-80' };
    expect((await h.postRecord('socialcare', unbornPlan(n))).status).toBe(202);
    await h.settle();
    const unborn = unbornChildIdentifier(n.mother, EDD);
    const before = (await search(`Patient?identifier=${encodeURIComponent(`${unborn.system}|${unborn.value}`)}`))[0] as Patient;
    expect(before.extension?.find((e) => e.url.endsWith('patient-fetalStatus'))?.valueCode).toBe('potential-for-live-birth');
    expect(await unbornPlansOf(before.id!)).toHaveLength(1);

    expect((await h.postRecord('maternity', birth({ ...n, recordId: 'RHM-PREG-U80', born: '2026-11-18T03:20:00Z' }))).status).toBe(202);
    await h.settle();
    const baby = (await patientByNhs(n.baby))!;
    const plans = await unbornPlansOf(baby.id!);
    expect(plans.map((p) => [p.status, p.period?.start])).toEqual([['active', '2026-09-15']]);
    expect((await search(`EpisodeOfCare?patient.identifier=${encodeURIComponent(`${SYSTEM.nhsNumber}|${n.baby}`)}`)).map((r) => r.id)).toContain(plans[0]!.id);
  });

  it('attaches a plan recorded for the unborn child after the baby was already born', async () => {
    const n = { mother: testNhsNumber(86), baby: testNhsNumber(87), laChildId: 'HCC-U-86' };
    await h.postRecord('maternity', birth({ ...n, recordId: 'RHM-PREG-U86', born: '2026-11-25T03:20:00Z' }));
    await h.settle();
    await h.postRecord('socialcare', unbornPlan(n));
    await h.settle();
    const baby = (await patientByNhs(n.baby))!;
    expect((await unbornPlansOf(baby.id!)).map((p) => p.status)).toEqual(['active']);
    expect(baby.extension?.some((e) => e.url.endsWith('patient-fetalStatus'))).toBeFalsy();
  });

  it('does not attach it to a child of another mother born that day, nor to the same mother\'s child born a year later', async () => {
    const n = { mother: testNhsNumber(82), laChildId: 'HCC-U-82' };
    await h.postRecord('socialcare', unbornPlan(n));
    await h.postRecord('maternity', birth({ mother: testNhsNumber(83), baby: testNhsNumber(84), recordId: 'RHM-PREG-U83', born: `${EDD}T08:00:00Z` }));
    await h.postRecord('maternity', birth({ mother: n.mother, baby: testNhsNumber(85), recordId: 'RHM-PREG-U82', born: '2027-11-20T08:00:00Z' }));
    await h.settle();
    for (const nhs of [testNhsNumber(84), testNhsNumber(85)]) {
      const baby = (await patientByNhs(nhs))!;
      expect([nhs, await unbornPlansOf(baby.id!)]).toEqual([nhs, []]);
    }
  });
});
