import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Flag } from '../src/fhir/types.js';
import { sweepUnseenAlerts } from '../src/pipeline/escalation.js';
import { startFhirRecipient, type FhirRecipient } from './support/fhir-recipient.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM, recordWithBruise } from './support/records.js';

/**
 * The escalation sweep pages through the store (src/store/escalation-queries.ts) instead of
 * loading every active alert: these run it two Flags a page, so every page boundary is crossed.
 */
describe.each<Mode>(['scaled', 'embedded'])('escalation sweep, a page at a time (%s)', (mode) => {
  let h: Harness;
  let gp: FhirRecipient;
  let now = '2026-11-25T09:00:00Z';
  const babies = [0, 1, 2, 3, 4].map((i) => testNhsNumber(700 + 2 * i));

  beforeAll(async () => {
    gp = await startFhirRecipient();
    h = await startHarness(mode, {
      clock: () => now,
      config: {
        recipients: [{ id: 'gp', kind: 'gp-practice', endpoint: { baseUrl: gp.baseUrl }, routing: { gpPractices: ['B22222'] } }],
        delivery: { attempts: 3, backoffMs: 20, escalation: { unseenAfterMinutes: 240 } },
      },
    });
    for (const [i, baby] of babies.entries()) {
      await h.postRecord('maternity', recordWithBruise({ recordId: `ESC-${i}`, motherNhs: testNhsNumber(701 + 2 * i), babyNhs: baby, ageDays: 30, gp: 'B22222' }));
    }
    await h.settle();
  });
  afterAll(async () => {
    await h?.close();
    await gp?.close();
  });

  const flagsOf = async (nhs: string) => ((await (await h.request(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${nhs}`)}`)).json()) as Bundle)
    .entry!.map((e) => e.resource as Flag);
  const rule = (f: Flag) => f.code.coding![0]!.code;
  const alertOf = async (nhs: string) => (await flagsOf(nhs)).find((f) => rule(f) === 'bruising-non-mobile-infant')!;
  const escalationOf = async (nhs: string) => (await flagsOf(nhs)).find((f) => rule(f) === 'alert-not-seen');

  it('escalates every overdue unseen alert across pages, once, and stands each down when it is seen or ends', async () => {
    const alerts = await Promise.all(babies.map(alertOf));
    expect(alerts.every((f) => f.status === 'active')).toBe(true);
    await h.rt.alertStates.seen(h.rt.db, 'gp', [alerts[0]!.id!], 'fhir-read', now);

    now = '2026-11-25T12:00:00Z'; // three hours on: none is overdue yet
    expect(await sweepUnseenAlerts(h.rt, 2)).toBe(0);
    now = '2026-11-26T09:00:00Z';
    expect(await sweepUnseenAlerts(h.rt, 2)).toBe(4);
    expect(await sweepUnseenAlerts(h.rt, 2)).toBe(0); // already escalated: nothing twice
    await h.settle();
    const escalations = await Promise.all(babies.map(escalationOf));
    expect(escalations.map((f) => f?.status)).toEqual([undefined, 'active', 'active', 'active', 'active']);
    expect(escalations[1]!.subject).toEqual(alerts[1]!.subject);
    expect(gp.flags().get(escalations[3]!.id!)?.status).toBe('active');

    // Baby 1's alert ends (the assessment withdrew it); baby 2's is seen. Both escalations stand down.
    await h.rt.db.transaction((tx) => h.rt.resources.putMany(tx, [{ ...alerts[1]!, status: 'inactive', period: { ...alerts[1]!.period, end: now } }], { sourceKey: null, now }));
    await h.rt.alertStates.seen(h.rt.db, 'gp', [alerts[2]!.id!], 'cds-card', now);
    now = '2026-11-26T09:15:00Z';
    expect(await sweepUnseenAlerts(h.rt, 2)).toBe(2);
    await h.settle();
    expect((await Promise.all(babies.map(escalationOf))).map((f) => f?.status)).toEqual([undefined, 'inactive', 'inactive', 'active', 'active']);
    expect(gp.flags().get(escalations[2]!.id!)?.status).toBe('inactive');
  });
});
