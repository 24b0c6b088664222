import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../src/cds/cards.js';
import type { Bundle, Flag } from '../src/fhir/types.js';
import { sweepUnseenAlerts } from '../src/pipeline/escalation.js';
import { startFhirRecipient, type FhirRecipient } from './support/fhir-recipient.js';
import { BACKPORT, SAFEGUARDING_FLAG_TOPIC } from '../src/subscriptions/backport.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { startSubscriberEndpoint, type SubscriberEndpoint } from './support/subscriber-endpoint.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM, recordWithBruise } from './support/records.js';

describe.each<Mode>(['scaled', 'embedded'])('CDS Hooks and the acknowledgement loop (%s)', (mode) => {
  let h: Harness;
  let gpA: FhirRecipient;
  let gpB: FhirRecipient;
  let nurse: FhirRecipient;
  let subscriber: SubscriberEndpoint;
  let now = '2026-11-25T09:00:00Z';
  const babyA = testNhsNumber(400);
  const babyB = testNhsNumber(402);

  beforeAll(async () => {
    [gpA, gpB, nurse, subscriber] = await Promise.all([startFhirRecipient(), startFhirRecipient(), startFhirRecipient(), startSubscriberEndpoint()]);
    h = await startHarness(mode, {
      clock: () => now,
      config: {
        clients: [{ id: 'gp-a-ehr', token: 'gp-a-token', roles: ['read:gp-a'] }, { id: 'gp-b-ehr', token: 'gp-b-token', roles: ['read:gp-b'] }],
        recipients: [
          { id: 'gp-a', kind: 'gp-practice', endpoint: { baseUrl: gpA.baseUrl }, routing: { gpPractices: ['A11111'] }, safeguardingContacts: [{ name: 'Dr Lead, practice safeguarding lead', phone: '023 8000 0001' }] },
          { id: 'gp-b', kind: 'gp-practice', endpoint: { baseUrl: gpB.baseUrl }, routing: { gpPractices: ['B22222'] } },
          { id: 'named-nurse', kind: 'health-visiting', endpoint: { baseUrl: nurse.baseUrl }, routing: {} },
        ],
        delivery: { attempts: 3, backoffMs: 20, escalation: { recipient: 'named-nurse', unseenAfterMinutes: 240 } },
      },
    });
    const a = recordWithBruise({ recordId: 'CDS-A', motherNhs: testNhsNumber(401), babyNhs: babyA, ageDays: 30, gp: 'A11111' });
    a.contacts![0]!.iconDiscussed = false;
    await h.postRecord('maternity', a);
    await h.postRecord('maternity', recordWithBruise({ recordId: 'CDS-B', motherNhs: testNhsNumber(403), babyNhs: babyB, ageDays: 30, gp: 'B22222' }));
    await h.settle();
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([gpA, gpB, nurse, subscriber].map((r) => r?.close()));
  });

  const hook = (token: string, nhs: string) => h.request('/cds-services/cradle-safeguarding', {
    method: 'POST', token, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ hook: 'patient-view', hookInstance: 'x', context: { patientId: 'ehr-123', userId: 'Practitioner/1' },
      prefetch: { patient: { resourceType: 'Patient', id: 'ehr-123', identifier: [{ system: NHS_SYSTEM, value: nhs }] } } }),
  });
  const flagsOf = async (nhs: string) => ((await (await h.request(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${nhs}`)}&status=active`)).json()) as Bundle)
    .entry!.map((e) => e.resource as Flag);

  it('discovers the patient-view service', async () => {
    const res = (await (await h.request('/cds-services', { token: 'gp-a-token' })).json()) as { services: Array<{ id: string; hook: string }> };
    expect(res.services).toEqual([expect.objectContaining({ id: 'cradle-safeguarding', hook: 'patient-view' })]);
  });

  it('returns one card per active Flag with indicator, evidence, protocol and the practice\'s own contacts', async () => {
    const { cards } = (await (await hook('gp-a-token', babyA)).json()) as { cards: Card[] };
    const byRule = new Map(cards.map((c) => [c.source.topic?.code, c]));
    expect([...byRule.keys()].sort()).toEqual(['bruising-non-mobile-infant', 'icon-safe-sleep-not-recorded']);
    const bruise = byRule.get('bruising-non-mobile-infant')!;
    expect(bruise.indicator).toBe('critical');
    expect(byRule.get('icon-safe-sleep-not-recorded')!.indicator).toBe('info');
    for (const c of cards) expect(c.summary.length).toBeLessThanOrEqual(140);
    expect(bruise.detail).toMatch(/Bruise on left ear recorded at postnatal contact/);
    expect(bruise.detail).toMatch(/\*\*Your safeguarding contacts:\*\* Dr Lead, practice safeguarding lead, 023 8000 0001/);
    expect(bruise.links[0]!.url).toMatch(/^https?:\/\//);
  });

  it('gives a client of another practice no cards and nothing to read about that family', async () => {
    expect(((await (await hook('gp-b-token', babyA)).json()) as { cards: Card[] }).cards).toEqual([]);
    const flag = (await flagsOf(babyA))[0]!;
    expect((await h.request(`/fhir/Flag/${flag.id}`, { token: 'gp-b-token' })).status).toBe(404);
    expect(((await (await h.request(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${babyA}`)}`, { token: 'gp-b-token' })).json()) as Bundle).total).toBe(0);
  });

  it('records raised → delivered → seen → overridden with the reason', async () => {
    const flag = (await flagsOf(babyA)).find((f) => f.code.coding![0]!.code === 'bruising-non-mobile-infant')!;
    const [state] = await h.rt.alertStates.forFlag(flag.id!);
    expect(state).toMatchObject({ recipientId: 'gp-a', seenVia: 'cds-card' });
    expect(state!.deliveredAt).toBeTruthy();
    const feedback = await h.request('/cds-services/cradle-safeguarding/feedback', {
      method: 'POST', token: 'gp-a-token', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ feedback: [{ card: flag.id, outcome: 'overridden', overrideReason: { reason: { code: 'already-known' }, userComment: 'Referred yesterday' }, outcomeTimestamp: '2026-11-25T09:05:00Z' }] }),
    });
    expect(feedback.status).toBe(200);
    expect((await h.rt.alertStates.forFlag(flag.id!))[0]).toMatchObject({ decision: 'overridden', decidedBy: 'gp-a-ehr', reason: { reason: { code: 'already-known' }, userComment: 'Referred yesterday' } });
  });

  it('escalates a high-priority alert nobody has seen, pushing it to the named nurse, and stands down once it is seen', async () => {
    const [original] = (await flagsOf(babyB)).filter((f) => f.code.coding![0]!.code === 'bruising-non-mobile-infant');
    // Practice B's system also subscribes to its families' safeguarding Flags.
    const sub = await h.request('/fhir/Subscription', {
      method: 'POST', token: 'gp-b-token', headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'Subscription', status: 'requested', reason: 'escalations', criteria: SAFEGUARDING_FLAG_TOPIC,
        channel: { type: 'rest-hook', endpoint: `${subscriber.url}/gp-b`, payload: 'application/fhir+json', _payload: { extension: [{ url: BACKPORT.payloadContent, valueCode: 'id-only' }] } } }),
    });
    expect(sub.status).toBe(201);
    await h.waitFor(async () => subscriber.at('/gp-b', 'handshake').length > 0);
    // Practice B's system polls every active Flag: a system listing, not a person looking — not "seen".
    expect((await h.request('/fhir/Flag?status=active', { token: 'gp-b-token' })).status).toBe(200);
    expect(await h.rt.alertStates.seenByAnyone(original!.id!)).toBe(false);
    now = '2026-11-25T12:00:00Z';
    expect(await sweepUnseenAlerts(h.rt)).toBe(0); // three hours after it was raised: not yet
    now = '2026-11-26T12:00:00Z';
    expect(await sweepUnseenAlerts(h.rt)).toBe(1);
    await h.settle();
    const escalation = (await flagsOf(babyB)).find((f) => f.code.coding![0]!.code === 'alert-not-seen')!;
    expect(escalation.status).toBe('active');
    expect([...nurse.flags().keys()]).toEqual(expect.arrayContaining([escalation.id, original!.id]));
    expect(gpB.flags().get(escalation.id!)?.status).toBe('active');
    // Subscribers hear of the escalation like any other safeguarding Flag change.
    await h.waitFor(async () => subscriber.at('/gp-b', 'event-notification').some((n) => n.focus.some((f) => f.endsWith(`Flag/${escalation.id}`))));
    // A clinician opens the baby's record: the EHR asks for that patient's Flags — seen. The next sweep stands the escalation down.
    expect((await h.request(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${babyB}`)}`, { token: 'gp-b-token' })).status).toBe(200);
    expect((await h.rt.alertStates.forFlag(original!.id!)).find((s) => s.recipientId === 'gp-b')).toMatchObject({ seenVia: 'fhir-read' });
    expect(await sweepUnseenAlerts(h.rt)).toBe(1);
    await h.settle();
    expect((await flagsOf(babyB)).some((f) => f.code.coding![0]!.code === 'alert-not-seen')).toBe(false);
  });
});
