import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Flag } from '../src/fhir/types.js';
import { execSweepJob } from '../src/pipeline/sweep.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM } from './support/records.js';

/**
 * birth-not-notified is an absence alert: no message says a birth is missing, so the sweep
 * (a repeatable job) must raise it. The clock moves past the due date with no new message.
 */
describe.each<Mode>(['scaled', 'embedded'])('overdue pregnancy sweep (%s)', (mode) => {
  let h: Harness;
  let now = '2026-10-01T10:00:00Z';
  beforeAll(async () => {
    h = await startHarness(mode, { clock: () => now });
  });
  afterAll(() => h?.close());

  it('schedules a repeatable sweep that raises birth-not-notified once the due date is 15 days past', async () => {
    const mother = testNhsNumber(90);
    await h.postRecord('maternity', {
      recordType: 'maternity-record', recordId: 'S-1', version: 1, updatedAt: '2026-10-01T10:00:00Z', organisation: { odsCode: 'RHM' },
      mother: { localId: 'S-M1', nhsNumber: mother, birthDate: '1990-01-01' },
      pregnancy: { edd: '2026-11-01', bookingDate: '2026-04-01' },
      socialFactors: [{ factor: 'mental-health', subject: 'mother', status: 'current' }, { factor: 'domestic-abuse', subject: 'mother', status: 'current' }],
    });
    await h.settle();
    const flags = async () => ((await (await h.request(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${mother}`)}&status=active`)).json()) as Bundle)
      .entry?.map((e) => (e.resource as Flag).code.coding![0]!.code) ?? [];
    expect(await flags()).toContain('multiple-risk-factors');
    expect(await flags()).not.toContain('birth-not-notified');
    if (mode === 'scaled') {
      const schedulers = await (h.rt.queue as unknown as { queue(n: string): { getJobSchedulers(): Promise<Array<{ key: string }>> } }).queue('sweep').getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toContain('sweep-overdue-pregnancies');
    }
    now = '2026-11-10T10:00:00Z';
    await execSweepJob(h.rt, { id: 'sweep-1', queue: 'sweep', data: { kind: 'overdue-pregnancies' }, attempt: 1, maxAttempts: 1 });
    await h.settle();
    expect(await flags()).not.toContain('birth-not-notified');
    now = '2026-11-16T10:00:00Z';
    await execSweepJob(h.rt, { id: 'sweep-2', queue: 'sweep', data: { kind: 'overdue-pregnancies' }, attempt: 1, maxAttempts: 1 });
    await h.settle();
    expect(await flags()).toContain('birth-not-notified');
  });
});
