import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Bundle, Flag } from '../src/fhir/types.js';
import { startFhirRecipient, type FhirRecipient } from './support/fhir-recipient.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { adtPerson, ER7 } from './support/hl7.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM, recordWithBruise } from './support/records.js';

/**
 * Delivery where the behaviour is about HTTP, against real HTTP servers: a recipient that
 * fails then recovers, and a family moving from one practice to another.
 */
describe.each<Mode>(['scaled', 'embedded'])('recipients over HTTP (%s)', (mode) => {
  let h: Harness;
  let oldPractice: FhirRecipient;
  let newPractice: FhirRecipient;
  beforeAll(async () => {
    oldPractice = await startFhirRecipient();
    newPractice = await startFhirRecipient();
    h = await startHarness(mode, {
      config: {
        delivery: { attempts: 5, backoffMs: 20 },
        clients: [{ id: 'old-gp-client', token: 'old-gp-token', roles: ['read:gp-old'] }, { id: 'new-gp-client', token: 'new-gp-token', roles: ['read:gp-new'] }],
        recipients: [
          { id: 'gp-old', kind: 'gp-practice', endpoint: { baseUrl: oldPractice.baseUrl, auth: { type: 'bearer', token: 'old-secret' } }, routing: { gpPractices: ['J82001'] } },
          { id: 'gp-new', kind: 'gp-practice', endpoint: { baseUrl: newPractice.baseUrl, auth: { type: 'bearer', token: 'new-secret' } }, routing: { gpPractices: ['K83002'] } },
        ],
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await oldPractice?.close();
    await newPractice?.close();
  });

  it('delivers exactly once in effect when the recipient answers 500 three times then 200, auditing every attempt', async () => {
    oldPractice.script = [500, 500, 500];
    const baby = testNhsNumber(300);
    const before = oldPractice.received.length;
    await h.postRecord('maternity', recordWithBruise({ recordId: 'RR-500', motherNhs: testNhsNumber(301), babyNhs: baby, ageDays: 20, gp: 'J82001' }));
    await h.settle();
    expect(oldPractice.received.length - before).toBe(1);
    expect(oldPractice.received.at(-1)!.authorization).toBe('Bearer old-secret');
    const patient = ((await (await h.request(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${baby}`)}`)).json()) as Bundle).entry![0]!.resource!;
    const audits = ((await (await h.request(`/fhir/AuditEvent?subtype=transaction&patient=Patient/${patient.id}&_sort=_lastUpdated`)).json()) as Bundle)
      .entry!.map((e) => (e.resource as AuditEvent).outcome);
    expect(audits).toEqual(['4', '4', '4', '0']);
  });

  it('moves the view from the old practice to the new one when the baby changes GP, withdrawing the old copy', async () => {
    const baby = testNhsNumber(302);
    await h.postRecord('maternity', recordWithBruise({ recordId: 'RR-GP', motherNhs: testNhsNumber(303), babyNhs: baby, ageDays: 20, gp: 'J82001' }));
    await h.settle();
    const flagId = ((await (await h.request(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${baby}`)}`)).json()) as Bundle).entry![0]!.resource!.id!;
    expect(oldPractice.flags().get(flagId)?.status).toBe('active');
    expect(newPractice.flags().has(flagId)).toBe(false);
    expect(((await (await h.request(`/fhir/Flag/${flagId}`, { token: 'old-gp-token' }))).status)).toBe(200);

    // The baby registers with a new practice (a GP system's ADT A31).
    const a31 = adtPerson('A31', { controlId: 'RR-A31', at: '20261201100000', patient: { localId: `EMIS-${baby}`, nhs: baby, family: 'TEST', given: 'BABY', birthDate: '20261001', sex: 'M' }, practice: 'K83002' });
    expect((await h.request('/ingest/gp-hl7v2', { method: 'POST', body: a31, headers: { 'content-type': ER7 } })).status).toBeLessThan(300);
    await h.settle();

    expect(newPractice.flags().get(flagId)?.status).toBe('active');
    const withdrawn = oldPractice.flags().get(flagId) as Flag;
    expect(withdrawn.status).toBe('inactive');
    expect(withdrawn.meta?.tag?.map((t) => t.code)).toContain('withdrawn');
    const withdrawal = oldPractice.received.at(-1)!.bundle;
    expect(withdrawal.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource).not.toHaveProperty('name');
    expect((await h.request(`/fhir/Flag/${flagId}`, { token: 'old-gp-token' })).status).toBe(404);
    expect((await h.request(`/fhir/Flag/${flagId}`, { token: 'new-gp-token' })).status).toBe(200);
    // The Flag itself stays active in Cradle: the concern did not go away, the family moved.
    expect(((await (await h.request(`/fhir/Flag/${flagId}`)).json()) as Flag).status).toBe('active');
  });
});
