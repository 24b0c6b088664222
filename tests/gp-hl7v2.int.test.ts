import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment, Bundle, Condition, Observation, Patient } from '../src/fhir/types.js';
import { packageRoot } from '../src/util/package-root.js';
import { adtPerson, adtVisit, msaOf, postHl7, siu } from './support/hl7.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM, recordWithBruise } from './support/records.js';

const CASES = join(packageRoot, 'mappings/gp-hl7v2/cases');

async function search<T>(h: Harness, query: string): Promise<T[]> {
  const res = await h.request(`/fhir/${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as Bundle).entry?.map((e) => e.resource as T) ?? [];
}

const patientsWith = (h: Harness, nhs: string) => search<Patient>(h, `Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${nhs}`)}`);
const practicesOf = (p: Patient) => (p.generalPractitioner ?? []).map((g) => g.identifier?.value);

describe.each<Mode>(['scaled', 'embedded'])('gp-hl7v2 through the pipeline (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('joins an A28 naming the baby\'s practice and a later maternity record for the same NHS number into one Patient with both', async () => {
    const [mother, baby] = [testNhsNumber(101), testNhsNumber(102)];
    const a28 = adtPerson('A28', { controlId: 'A28-JOIN', at: '20261002090000', practice: 'J82099', patient: { localId: 'GP-JOIN-1', nhs: baby, birthDate: '20261001' } });
    const ack = await postHl7(h, a28);
    expect(ack.status).toBe(202);
    expect(msaOf(await ack.text())).toEqual([{ code: 'AA', controlId: 'A28-JOIN' }]);
    await h.settle();
    expect(await h.postRecord('maternity', recordWithBruise({ recordId: 'P-JOIN', motherNhs: mother, babyNhs: baby, ageDays: 10 }))).toHaveProperty('status', 202);
    await h.settle();

    const patients = await patientsWith(h, baby);
    expect(patients).toHaveLength(1);
    const [patient] = patients as [Patient];
    expect(practicesOf(patient)).toEqual(['J82099']);
    const systems = (patient.identifier ?? []).map((i) => i.system);
    expect(systems).toEqual(expect.arrayContaining([NHS_SYSTEM, 'https://fhir.cradle.org.uk/Id/local/J82001/patient', 'https://fhir.cradle.org.uk/Id/local/RHM/baby']));
    const bruises = await search<Observation>(h, `Observation?patient=Patient/${patient.id}`);
    expect(bruises.some((o) => o.bodySite?.text === 'left ear')).toBe(true);
  });

  it('records an S26 no-show for a baby as an Appointment noshow, "was not brought"', async () => {
    const baby = testNhsNumber(103);
    const patient = { localId: 'GP-WNB-1', nhs: baby, birthDate: '20261118' };
    await postHl7(h, siu('S12', { controlId: 'S12-WNB', at: '20261201090000', appointmentId: 'APT-WNB', start: '20261230100000', patient }));
    const ack = await postHl7(h, siu('S26', { controlId: 'S26-WNB', at: '20261230110000', appointmentId: 'APT-WNB', start: '20261230100000', patient }));
    expect(msaOf(await ack.text())).toEqual([{ code: 'AA', controlId: 'S26-WNB' }]);
    await h.settle();

    const [baby1] = await patientsWith(h, baby);
    const appointments = await search<Appointment>(h, `Appointment?patient=Patient/${baby1!.id}`);
    expect(appointments).toHaveLength(1);
    const [appointment] = appointments as [Appointment];
    expect(appointment.status).toBe('noshow');
    expect(appointment.cancelationReason?.coding).toEqual(expect.arrayContaining([
      expect.objectContaining({ system: 'https://fhir.cradle.org.uk/CodeSystem/not-attended-reason', code: 'was-not-brought' }),
      expect.objectContaining({ system: 'http://snomed.info/sct', code: '901441000000108' }),
    ]));
  });

  it('keeps an injury a visit recorded when a later person update (A31) carries no diagnoses', async () => {
    const baby = testNhsNumber(104);
    const patient = { localId: 'GP-INJ-1', nhs: baby, birthDate: '20261118', postcode: 'SO16 6YD' };
    await postHl7(h, adtVisit({ controlId: 'A04-INJ', at: '20261215093000', patient, visit: 'V-INJ-1', snomed: '125667009', display: 'Contusion' }));
    await postHl7(h, adtPerson('A31', { controlId: 'A31-INJ', at: '20261220100000', patient: { ...patient, postcode: 'SO23 7AB' }, practice: 'J82002' }));
    await h.settle();

    const [p] = await patientsWith(h, baby);
    expect(p!.address?.map((a) => a.postalCode)).toEqual(['SO23 7AB']);
    expect(practicesOf(p!)).toEqual(['J82002']);
    const conditions = await search<Condition>(h, `Condition?patient=Patient/${p!.id}`);
    expect(conditions.map((c) => c.code?.coding?.[0]?.code)).toEqual(['125667009']);
    const observations = await search<Observation>(h, `Observation?patient=Patient/${p!.id}`);
    expect(observations.map((o) => o.bodySite?.text)).toEqual(['left cheek']);
  });

  it('keeps a newer person update when an older one arrives late', async () => {
    const nhs = testNhsNumber(105);
    const patient = { localId: 'GP-LATE-1', nhs };
    await postHl7(h, adtPerson('A31', { controlId: 'A31-NEW', at: '20270110100000', patient: { ...patient, postcode: 'SO23 7AB' } }));
    await h.settle();
    const late = await postHl7(h, adtPerson('A31', { controlId: 'A31-OLD', at: '20270101100000', patient: { ...patient, postcode: 'SO16 6YD' } }));
    expect(late.status).toBe(202);
    await h.settle();
    const [p] = await patientsWith(h, nhs);
    expect(p!.address?.map((a) => a.postalCode)).toEqual(['SO23 7AB']);
    const message = await (await h.request(`/ingest/messages/${late.headers.get('x-cradle-message-id')}`)).json() as { status: string; outcome?: { issue: Array<{ details: { coding: Array<{ code: string }> } }> } };
    expect(message.status).toBe('processed');
    expect(message.outcome?.issue[0]?.details.coding[0]?.code).toBe('CRADLE_VERSION_SUPERSEDED');
  });

  it('answers every real sample message with an ACK — mapped (AA) or refused with AE/AR naming why — never a 5xx', async () => {
    const samples = readdirSync(CASES).filter((f) => f.startsWith('sample-') && f.endsWith('.input.hl7'));
    expect(samples.length).toBeGreaterThanOrEqual(12);
    for (const file of samples) {
      const res = await postHl7(h, readFileSync(join(CASES, file)));
      const text = await res.text();
      const [msa] = msaOf(text);
      expect(res.status, file).toBeLessThan(500);
      if (res.status === 202) expect(msa?.code, file).toBe('AA');
      else {
        expect(['AE', 'AR'], file).toContain(msa?.code);
        expect(text, file).toMatch(/\rERR\|/);
      }
    }
    await h.settle();
    const statuses = (await h.rt.messages.countByStatus()) as Record<string, number>;
    expect(statuses.failed ?? 0).toBe(0);
  });

  it('acknowledges each message of a batch, keeps each on its own, and treats a resend as already had', async () => {
    const batch = [1, 2, 3].map((i) => adtPerson('A28', { controlId: `BATCH-${i}`, at: '20261122100000', patient: { localId: `GP-BATCH-${i}` } })).join('');
    const res = await postHl7(h, `FHS|^~\\&\rBHS|^~\\&\r${batch}BTS|3\rFTS|1\r`);
    expect(res.status).toBe(202);
    expect(msaOf(await res.text())).toEqual([1, 2, 3].map((i) => ({ code: 'AA', controlId: `BATCH-${i}` })));
    const again = await postHl7(h, adtPerson('A28', { controlId: 'BATCH-2', at: '20261122100000', patient: { localId: 'GP-BATCH-2' } }));
    expect(again.status).toBe(200);
    expect(msaOf(await again.text())).toEqual([{ code: 'AA', controlId: 'BATCH-2' }]);
  });

  it('answers JSON like every source when ER7 is not asked for', async () => {
    const res = await postHl7(h, adtPerson('A28', { controlId: 'JSON-1', at: '20261122100000', patient: { localId: 'GP-JSON-1' } }), 'application/json');
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'received' });
    const bad = await postHl7(h, 'MSH|^~\\&|A|B|||20261122||ORU^R01|X|P|2.4\r', 'application/json');
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ expression: ['MSH-9.1'] }] });
  });
});
