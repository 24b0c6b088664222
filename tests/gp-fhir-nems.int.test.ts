import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Observation, Patient, RelatedPerson } from '../src/fhir/types.js';
import { packageRoot } from '../src/util/package-root.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { pdsChange } from './support/nems.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM, recordWithBruise } from './support/records.js';

const GP_FHIR_CASES = join(packageRoot, 'mappings/gp-fhir/cases');
const NEMS_CASES = join(packageRoot, 'mappings/nems/cases');

async function search<T>(h: Harness, query: string): Promise<T[]> {
  const res = await h.request(`/fhir/${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Bundle).entry?.map((e) => e.resource as T) ?? [];
}
const patientWith = async (h: Harness, nhs: string) => {
  const found = await search<Patient>(h, `Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${nhs}`)}`);
  expect(found).toHaveLength(1);
  return found[0]!;
};
const post = (h: Harness, source: string, body: string | Buffer, type: string) =>
  h.request(`/ingest/${source}`, { method: 'POST', headers: { 'content-type': type }, body });
const currentPostcodes = (p: Patient) => (p.address ?? []).filter((a) => a.use !== 'old' && !a.period?.end).map((a) => a.postalCode);

describe.each<Mode>(['scaled', 'embedded'])('gp-fhir and nems through the pipeline (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('moves the family\'s Patient to the new practice and postcode when NEMS reports a change of GP and of address', async () => {
    const [mother, baby] = [testNhsNumber(201), testNhsNumber(202)];
    await h.postRecord('maternity', recordWithBruise({ recordId: 'P-MOVE', motherNhs: mother, babyNhs: baby, ageDays: 5, gp: 'J82001', postcode: 'SO16 6YD' }));
    await h.settle();
    const gp = await post(h, 'nems', pdsChange({ event: 'pds-change-of-gp-1', nhs: baby, timestamp: '2026-11-01T09:00:00+00:00', practice: 'J82002' }), 'application/fhir+json');
    expect(gp.status).toBe(202);
    const moved = await post(h, 'nems', pdsChange({ event: 'pds-change-of-address-1', nhs: baby, timestamp: '2026-11-02T09:00:00+00:00', postcode: 'so23 7ab', previousPostcode: 'SO16 6YD' }), 'application/fhir+json');
    expect(moved.status).toBe(202);
    await h.settle();

    const patient = await patientWith(h, baby);
    expect((patient.generalPractitioner ?? []).map((g) => g.identifier?.value)).toEqual(['J82002']);
    expect(currentPostcodes(patient)).toEqual(['SO23 7AB']);
    expect(patient.address?.find((a) => a.use === 'old')?.postalCode).toBe('SO16 6YD');
  });

  it('links the baby of a birth notification to its mother (RelatedPerson MTH with her NHS number)', async () => {
    const res = await post(h, 'nems', readFileSync(join(NEMS_CASES, 'birth-notification-valid-mother-nhs.input.xml')), 'application/fhir+xml');
    expect(res.status).toBe(202);
    await h.settle();
    const baby = await patientWith(h, '9912003888');
    const mother = await patientWith(h, '9990000026');
    const related = await search<RelatedPerson>(h, `RelatedPerson?patient=Patient/${baby.id}`);
    const mth = related.find((r) => r.relationship?.some((c) => c.coding?.some((k) => k.code === 'MTH')));
    expect(mth?.identifier).toEqual([{ system: NHS_SYSTEM, value: '9990000026' }]);
    expect(mother.generalPractitioner?.[0]?.identifier?.value).toBe('B86056');
  });

  it('retires what a NIPE outcome produced when NEMS deletes the event', async () => {
    expect((await post(h, 'nems', readFileSync(join(NEMS_CASES, 'sample-nipe-outcome-1-new.input.xml')), 'application/fhir+xml')).status).toBe(202);
    await h.settle();
    const before = (await h.rt.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource WHERE source_key LIKE 'nems|nipe-outcome-1|%' AND NOT deleted`)).rows[0]!.n;
    expect(before).toBeGreaterThan(0);
    expect((await post(h, 'nems', readFileSync(join(NEMS_CASES, 'sample-nipe-outcome-1-delete.input.xml')), 'application/fhir+xml')).status).toBe(202);
    await h.settle();
    const after = (await h.rt.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource WHERE source_key LIKE 'nems|nipe-outcome-1|%' AND NOT deleted`)).rows[0]!.n;
    expect(after).toBe(0);
  });

  it('refuses a NEMS event it does not read, naming MessageHeader.event', async () => {
    const res = await post(h, 'nems', readFileSync(join(NEMS_CASES, 'sample-vaccinations-1-new.input.xml')), 'application/fhir+xml');
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ issue: [{ expression: ['Bundle.entry[0].resource.event.code'] }] });
  });

  it('re-homes a GP FHIR record and retires a fact a newer record no longer holds', async () => {
    const record = JSON.parse(readFileSync(join(GP_FHIR_CASES, 'uk-core-baby-record.input.json'), 'utf8')) as Bundle;
    expect((await post(h, 'gp-fhir', JSON.stringify(record), 'application/fhir+json')).status).toBe(202);
    await h.settle();
    const baby = await patientWith(h, '9990000018');
    expect(baby.generalPractitioner?.[0]?.identifier?.value).toBe('J82001');
    const observations = await search<Observation>(h, `Observation?patient=Patient/${baby.id}`);
    expect(observations.map((o) => o.code.coding?.[0]?.code).sort()).toEqual(['164624008', '27113001']);
    expect(observations.every((o) => !['gp-obs-1', 'gp-obs-2'].includes(o.id!))).toBe(true);

    const newer = { ...record, timestamp: '2026-12-20T10:00:00Z', entry: record.entry!.filter((e) => e.resource?.id !== 'gp-obs-2') };
    expect((await post(h, 'gp-fhir', JSON.stringify(newer), 'application/fhir+json')).status).toBe(202);
    await h.settle();
    const remaining = await search<Observation>(h, `Observation?patient=Patient/${baby.id}`);
    expect(remaining.map((o) => o.code.coding?.[0]?.code)).toEqual(['164624008']);
  });

  it('refuses a GP FHIR Bundle that is not valid R4, with every issue at its FHIRPath', async () => {
    const res = await post(h, 'gp-fhir', readFileSync(join(GP_FHIR_CASES, 'bad-schema.input.json')), 'application/fhir+json');
    expect(res.status).toBe(422);
    const outcome = await res.json() as { issue: Array<{ expression: string[] }> };
    expect(outcome.issue.map((i) => i.expression[0])).toEqual(['Bundle.entry[0].resource.birthDate', 'Bundle.entry[1].resource.status']);
  });
});
