import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventSequence, shuffled } from '../mappings/socialcare/event-sequence.fixture.js';
import type { SocialCareEvent } from '../mappings/socialcare/record.js';
import type { MaternityRecord } from '../mappings/maternity/record.js';
import type { Bundle, EpisodeOfCare, Organization } from '../src/fhir/types.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM } from './support/records.js';
import { familyOfMother, patientIdOf, storeSnapshot } from './support/store-snapshot.js';

const CP_PLAN = 'http://snomed.info/sct|342191000000101';

function cpPlanForSibling(n: { sibling: string; mother: string; father: string }): SocialCareEvent {
  return {
    recordType: 'socialcare-event', eventId: `HCC-EV-SIB-${n.sibling}`, occurredAt: '2026-07-01T14:00:00Z', event: 'cp-plan-start',
    localAuthority: { code: 'E10000014', name: 'Hampshire County Council', phone: '0300 555 1384', emergencyDutyPhone: '0300 555 1373' },
    child: { laChildId: `HCC-C-${n.sibling}`, nhsNumber: n.sibling, name: { family: 'Smith', given: ['Amy'] }, birthDate: '2025-08-01', motherNhsNumber: n.mother },
    details: { categoryOfAbuse: 'NEG', householdMembers: [{ nhsNumber: n.father, name: { family: 'Jones', given: ['Mark'] }, birthDate: '1995-02-11', relationshipToChild: 'father' }] },
  };
}

function newBaby(n: { mother: string; baby: string }): MaternityRecord {
  return {
    recordType: 'maternity-record', recordId: `RHM-PREG-${n.baby}`, version: 1, updatedAt: '2026-11-20T10:00:00Z',
    organisation: { odsCode: 'RHM', name: 'University Hospital Southampton' },
    mother: { localId: `RHM-M-${n.mother}`, nhsNumber: n.mother, birthDate: '1999-04-01', address: { postcode: 'SO16 6YD' } },
    pregnancy: { edd: '2026-11-20', bookingDate: '2026-05-01' },
    babies: [{ localId: 'B1', nhsNumber: n.baby, birthDate: '2026-11-18T03:20:00Z', sex: 'female' }],
  };
}

async function search(h: Harness, query: string): Promise<Bundle> {
  return (await (await h.request(`/fhir/${query}`)).json()) as Bundle;
}

describe.each<Mode>(['scaled', 'embedded'])('social care and maternity in one household (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode);
  });
  afterAll(() => h?.close());

  it('shows a sibling\'s CP plan and the new baby\'s maternity record together, in the mother\'s family', async () => {
    const n = { mother: testNhsNumber(60), sibling: testNhsNumber(61), baby: testNhsNumber(62), father: testNhsNumber(63) };
    const plan = await h.postRecord('socialcare', cpPlanForSibling(n));
    expect(plan.status).toBe(202);
    expect((await h.postRecord('maternity', newBaby(n))).status).toBe(202);
    await h.settle();

    const [sibling, baby, father] = await Promise.all([n.sibling, n.baby, n.father].map((nhs) => patientIdOf(h.rt, NHS_SYSTEM, nhs)));
    const family = await familyOfMother(h.rt, n.mother);
    expect(family.members).toEqual(expect.arrayContaining([family.mother, sibling, baby, father]));

    const plans = await search(h, `EpisodeOfCare?patient=Patient/${sibling}&type=${encodeURIComponent(CP_PLAN)}`);
    expect(plans.entry).toHaveLength(1);
    const episode = plans.entry![0]!.resource as EpisodeOfCare;
    expect([episode.status, episode.period?.start]).toEqual(['active', '2026-07-01']);
    const la = episode.contained?.[0] as Organization;
    expect(la.contact?.map((c) => [c.purpose?.coding?.[0]?.code, c.telecom?.[0]?.value])).toEqual([['WP', '0300 555 1384'], ['EC', '0300 555 1373']]);
    const byNhs = await search(h, `EpisodeOfCare?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${n.sibling}`)}`);
    expect(byNhs.entry?.map((e) => e.resource?.id)).toEqual([episode.id]);
    const pregnancy = await search(h, `EpisodeOfCare?patient=Patient/${family.mother}&type=${encodeURIComponent('http://snomed.info/sct|77386006')}`);
    expect(pregnancy.entry).toHaveLength(1);
  });

  it('takes the same event again as a duplicate of every part, and a re-serialised copy as changing nothing', async () => {
    const event = cpPlanForSibling({ sibling: testNhsNumber(64), mother: testNhsNumber(65), father: testNhsNumber(66) });
    const first = await h.postRecord('socialcare', event);
    expect(((await first.json()) as { messages: unknown[] }).messages).toHaveLength(2);
    const again = await h.postRecord('socialcare', event);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { messages: Array<{ duplicate?: boolean }> }).messages.every((m) => m.duplicate)).toBe(true);
    // Its parts are cut from the parsed event, so even different whitespace is the same message.
    expect((await h.postRecord('socialcare', JSON.stringify(event, null, 2))).status).toBe(200);
    // A one-part event is stored as sent: a re-serialised copy is a new message that changes nothing.
    const { details: _details, ...rest } = event;
    const single: SocialCareEvent = { ...rest, eventId: `${event.eventId}-LAC`, event: 'lac-start' };
    expect((await h.postRecord('socialcare', single)).status).toBe(202);
    await h.settle();
    const before = await storeSnapshot(h.rt);
    expect((await h.postRecord('socialcare', JSON.stringify(single, null, 2))).status).toBe(202);
    await h.settle();
    expect(await storeSnapshot(h.rt)).toEqual(before);
  });
});

/**
 * Out-of-order arrival: the same year of events, posted in many orders to a fresh store
 * each time and processed by the real workers, leaves exactly the same resources.
 */
describe.each<[Mode, number]>([['scaled', 12], ['embedded', 3]])('social care events in any order (%s)', (mode, shuffles) => {
  const events = eventSequence({ childNhs: testNhsNumber(70), motherNhs: testNhsNumber(71), fatherNhs: testNhsNumber(72), partnerNhs: testNhsNumber(73) });

  async function stateAfter(order: SocialCareEvent[]): Promise<string[]> {
    const h = await startHarness(mode);
    try {
      for (const e of order) expect((await h.postRecord('socialcare', e)).status).toBe(202);
      await h.settle(60_000);
      const failed = await h.rt.db.query(`SELECT id FROM inbound_message WHERE status IN ('failed', 'rejected')`);
      expect(failed.rows).toEqual([]);
      return await storeSnapshot(h.rt);
    } finally {
      await h.close();
    }
  }

  it(`gives the in-order store state for ${shuffles} shuffled orders of the same events`, async () => {
    const inOrder = await stateAfter(events);
    expect(inOrder.filter((r) => r.startsWith('EpisodeOfCare/')).every((r) => r.includes('"status":"finished"'))).toBe(true);
    for (let seed = 1; seed <= shuffles; seed++) {
      const order = shuffled(events, seed * 7919);
      expect({ seed, order: order.map((e) => e.eventId), state: await stateAfter(order) }).toEqual({ seed, order: order.map((e) => e.eventId), state: inOrder });
    }
  }, 600_000);
});
