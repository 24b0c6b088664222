import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Card } from '../src/cds/cards.js';
import type { Bundle, Flag, Group, List } from '../src/fhir/types.js';
import { BACKPORT, SAFEGUARDING_FLAG_TOPIC } from '../src/subscriptions/backport.js';
import { startFhirRecipient, type FhirRecipient } from './support/fhir-recipient.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM, recordWithBruise } from './support/records.js';
import { startSubscriberEndpoint, type SubscriberEndpoint } from './support/subscriber-endpoint.js';

/**
 * "Nobody where they do not belong": two practices, each with a family whose baby was seen
 * with a bruise. Practice B's client tries every way in to practice A's family — read, vread,
 * search (each resource type, by patient, by identifier, with _include), the family Group and
 * its chronology, subscriptions with and without a filter naming A's baby, CDS Hooks, the
 * message store — and practice B's EHR is checked for anything of A's pushed to it. Each
 * refusal is paired with the same request by practice A succeeding, so no check passes
 * because the path is simply broken.
 */
describe.each<Mode>(['embedded', 'scaled'])('a client of one practice cannot reach another practice\'s family (%s)', (mode) => {
  let h: Harness;
  let gpA: FhirRecipient;
  let gpB: FhirRecipient;
  let hook: SubscriberEndpoint;
  const A = { mother: testNhsNumber(700), baby: testNhsNumber(701), token: 'gp-a-token' };
  const B = { mother: testNhsNumber(702), baby: testNhsNumber(703), token: 'gp-b-token' };
  let messageA = '';

  beforeAll(async () => {
    [gpA, gpB, hook] = await Promise.all([startFhirRecipient(), startFhirRecipient(), startSubscriberEndpoint()]);
    h = await startHarness(mode, {
      config: {
        clients: [
          { id: 'gp-a-ehr', token: A.token, roles: ['read:gp-a'] },
          { id: 'gp-b-ehr', token: B.token, roles: ['read:gp-b'] },
          { id: 'maternity', token: 'maternity-token', roles: ['ingest:maternity'] },
          { id: 'icb', token: 'icb-token', roles: ['commissioner'] },
        ],
        recipients: [
          { id: 'gp-a', kind: 'gp-practice', endpoint: { baseUrl: gpA.baseUrl }, routing: { gpPractices: ['A11111'] } },
          { id: 'gp-b', kind: 'gp-practice', endpoint: { baseUrl: gpB.baseUrl }, routing: { gpPractices: ['B22222'] } },
        ],
      },
    });
    const res = await h.postRecord('maternity', recordWithBruise({ recordId: 'SCOPE-A', motherNhs: A.mother, babyNhs: A.baby, ageDays: 30, gp: 'A11111' }), 'maternity-token');
    messageA = res.headers.get('x-cradle-message-id')!;
    await h.postRecord('maternity', recordWithBruise({ recordId: 'SCOPE-B', motherNhs: B.mother, babyNhs: B.baby, ageDays: 30, gp: 'B22222' }), 'maternity-token');
    await h.settle();
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([gpA, gpB, hook].map((x) => x?.close()));
  });

  const get = (path: string, token: string) => h.request(path, { token });
  const search = async (path: string, token: string) => (await (await get(path, token)).json()) as Bundle;
  const ids = (b: Bundle) => (b.entry ?? []).map((e) => `${e.resource!.resourceType}/${e.resource!.id}`);
  const patientId = async (nhs: string) => (await search(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${nhs}`)}`, 'test-admin-token')).entry![0]!.resource!.id!;
  /** Every resource of A's family, as the admin's chronology of the family Group lists it (`Type/id`), plus the Group and the mother. */
  async function familyOfA(): Promise<{ group: Group; refs: string[] }> {
    const baby = await patientId(A.baby);
    const group = (await search(`/fhir/Group?member=Patient/${baby}`, 'test-admin-token')).entry![0]!.resource as Group;
    const chronology = (await (await get(`/fhir/Group/${group.id}/$chronology`, 'test-admin-token')).json()) as List;
    const items = (chronology.entry ?? []).map((e) => e.item.reference!);
    return { group, refs: [...new Set([`Group/${group.id}`, `Patient/${await patientId(A.mother)}`, ...items])] };
  }

  it('read and vread: every resource of the family answers 404 to the other practice, 200 to its own', async () => {
    const { refs } = await familyOfA();
    expect([...new Set(refs.map((r) => r.split('/')[0]))]).toEqual(expect.arrayContaining(['Patient', 'Encounter', 'Observation', 'Flag', 'Group']));
    for (const ref of refs) {
      const path = `/fhir/${ref}`;
      expect([path, (await get(path, A.token)).status]).toEqual([path, 200]);
      expect([path, (await get(path, B.token)).status]).toEqual([path, 404]);
      expect([path, (await get(`${path}/_history/1`, B.token)).status]).toEqual([path, 404]);
    }
  });

  it('search: by patient, by identifier, by member, unfiltered and with _include, nothing of the other family comes back', async () => {
    const { group, refs } = await familyOfA();
    const aRefs = new Set(refs);
    const baby = await patientId(A.baby);
    const mother = await patientId(A.mother);
    const queries = [
      `/fhir/Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${A.baby}`)}`, `/fhir/Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${A.mother}`)}`,
      `/fhir/Flag?patient=Patient/${baby}`, `/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${A.baby}`)}`,
      `/fhir/Observation?patient=Patient/${baby}`, `/fhir/Encounter?patient=Patient/${baby}`,
      `/fhir/DetectedIssue?patient=Patient/${baby}`, `/fhir/Group?member=Patient/${baby}`,
    ];
    for (const q of queries) {
      expect([q, ids(await search(q, A.token)).length > 0]).toEqual([q, true]);
      expect([q, ids(await search(q, B.token))]).toEqual([q, []]);
    }
    for (const q of [`/fhir/Encounter?patient=Patient/${mother}`, '/fhir/Flag?_include=Flag:patient', '/fhir/Patient', '/fhir/Flag?status=active', '/fhir/Group', '/fhir/Observation']) {
      expect([q, ids(await search(q, B.token)).filter((x) => aRefs.has(x))]).toEqual([q, []]);
    }
    expect((await get(`/fhir/Group/${group.id}/$chronology`, B.token)).status).toBe(404);
    expect((await get(`/fhir/Patient/${baby}/$chronology`, B.token)).status).toBe(404);
    expect((await get(`/fhir/Patient/${baby}/$chronology`, A.token)).status).toBe(200);
  });

  it('subscribe: a subscription naming the other family\'s baby hears nothing of it, while its own practice does', async () => {
    const baby = await patientId(A.baby);
    const subscribe = async (token: string, path: string, filter?: string) => {
      const res = await h.request('/fhir/Subscription', {
        method: 'POST', token, headers: { 'content-type': 'application/fhir+json' },
        body: JSON.stringify({
          resourceType: 'Subscription', status: 'requested', reason: 'scope test', criteria: SAFEGUARDING_FLAG_TOPIC,
          ...(filter ? { _criteria: { extension: [{ url: BACKPORT.filterCriteria, valueString: filter }] } } : {}),
          channel: { type: 'rest-hook', endpoint: `${hook.url}${path}`, payload: 'application/fhir+json', _payload: { extension: [{ url: BACKPORT.payloadContent, valueCode: 'full-resource' }] } },
        }),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string };
    };
    const spy = await subscribe(B.token, '/b-spy', `Flag?patient=Patient/${baby}`);
    const broad = await subscribe(B.token, '/b-all');
    await subscribe(A.token, '/a-own', `Flag?patient=Patient/${baby}`);
    await h.waitFor(async () => ['/b-spy', '/b-all', '/a-own'].every((p) => hook.at(p, 'handshake').length > 0));
    // A new version of A's record: ICON no longer recorded as discussed, so a new Flag for A's baby.
    const next = recordWithBruise({ recordId: 'SCOPE-A', motherNhs: A.mother, babyNhs: A.baby, ageDays: 30, gp: 'A11111', version: 2 });
    next.contacts![0]!.iconDiscussed = false;
    expect((await h.postRecord('maternity', next, 'maternity-token')).status).toBe(202);
    await h.settle();
    await h.waitFor(async () => hook.at('/a-own', 'event-notification').length > 0);
    const payload = JSON.stringify([...hook.at('/b-spy'), ...hook.at('/b-all')].map((n) => n.bundle));
    expect(payload).not.toContain(baby);
    expect(payload).not.toContain(A.baby);
    expect(hook.at('/b-spy', 'event-notification')).toEqual([]);
    for (const sub of [spy, broad]) {
      const events = await search(`/fhir/Subscription/${sub.id}/$events`, B.token);
      expect(JSON.stringify(events)).not.toContain(baby);
    }
    // Nor can B see or use A's subscriptions.
    const own = await search('/fhir/Subscription', A.token);
    for (const id of ids(own)) expect((await get(`/fhir/${id}`, B.token)).status).toBe(404);
  });

  it('receive: the other practice\'s EHR is sent nothing of the family; CDS Hooks give it no cards', async () => {
    expect(JSON.stringify(gpA.received)).toContain(A.baby);
    expect(JSON.stringify(gpB.received)).toContain(B.baby);
    for (const nhs of [A.baby, A.mother]) expect(JSON.stringify(gpB.received)).not.toContain(nhs);
    const cards = async (token: string) => ((await (await h.request('/cds-services/cradle-safeguarding', {
      method: 'POST', token, headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hook: 'patient-view', hookInstance: 'scope', context: { patientId: 'ehr-1', userId: 'Practitioner/1' },
        prefetch: { patient: { resourceType: 'Patient', id: 'ehr-1', identifier: [{ system: NHS_SYSTEM, value: A.baby }] } } }),
    })).json()) as { cards: Card[] }).cards;
    expect((await cards(A.token)).length).toBeGreaterThan(0);
    expect(await cards(B.token)).toEqual([]);
  });

  it('everything else: the message store, audit, admin, metrics and the dashboard are closed to a practice client', async () => {
    expect((await get(`/ingest/messages/${messageA}`, 'maternity-token')).status).toBe(200);
    expect((await get(`/ingest/messages/${messageA}`, B.token)).status).toBe(404);
    for (const path of ['/fhir/AuditEvent', '/admin/messages', '/admin/deliveries', '/admin/identity/reviews', '/metrics', '/dashboard/data.json', '/dashboard/queues']) {
      expect([path, (await get(path, B.token)).status]).toEqual([path, 403]);
    }
    // A source system may send, and read back only its own messages' status; it reads no FHIR.
    expect((await get('/fhir/Flag', 'maternity-token')).status).toBe(403);
    // The commissioner sees figures, never a family.
    expect((await get('/fhir/Patient', 'icb-token')).status).toBe(403);
    const metrics = await (await get('/metrics', 'icb-token')).text();
    for (const nhs of [A.baby, A.mother, B.baby, B.mother]) expect(metrics).not.toContain(nhs);
  });

  it('flags written for the other family are really there (the refusals above are not an empty store)', async () => {
    const flags = (await search(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${A.baby}`)}`, 'test-admin-token')).entry!.map((e) => e.resource as Flag);
    expect(flags.some((f) => f.status === 'active')).toBe(true);
  });
});
