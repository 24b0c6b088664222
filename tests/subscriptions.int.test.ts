import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Bundle, Flag, OperationOutcome, Parameters, Subscription } from '../src/fhir/types.js';
import { BACKPORT, SAFEGUARDING_FLAG_TOPIC } from '../src/subscriptions/backport.js';
import { fakeEhr, type FakeEhr } from './support/fake-ehr.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM, recordWithBruise } from './support/records.js';
import { startSubscriberEndpoint, type SubscriberEndpoint } from './support/subscriber-endpoint.js';

const EHR = 'https://ehr.example.test/fhir';
const CONFIG = {
  delivery: { attempts: 3, backoffMs: 30 },
  clients: [
    { id: 'hv-south-client', token: 'south-token', roles: ['read:hv-south'] },
    { id: 'hv-bmth-client', token: 'bmth-token', roles: ['read:hv-bmth'] },
    { id: 'rhm-maternity', token: 'maternity-token', roles: ['ingest:maternity'] },
  ],
  recipients: [
    { id: 'hv-south', kind: 'health-visiting', endpoint: { baseUrl: `${EHR}/south` }, routing: { postcodePrefixes: ['SO16'] } },
    { id: 'hv-bmth', kind: 'health-visiting', endpoint: { baseUrl: `${EHR}/bmth` }, routing: { postcodePrefixes: ['BH1'] } },
  ],
};

function subscription(endpoint: string, content: 'empty' | 'id-only' | 'full-resource', opts: { heartbeat?: number; filter?: string; headers?: string[] } = {}) {
  return {
    resourceType: 'Subscription', status: 'requested', reason: 'Safeguarding alerts for our families', criteria: SAFEGUARDING_FLAG_TOPIC,
    ...(opts.filter ? { _criteria: { extension: [{ url: BACKPORT.filterCriteria, valueString: opts.filter }] } } : {}),
    channel: {
      type: 'rest-hook', endpoint, payload: 'application/fhir+json', ...(opts.headers ? { header: opts.headers } : {}),
      _payload: { extension: [{ url: BACKPORT.payloadContent, valueCode: content }] },
      extension: [{ url: BACKPORT.timeout, valueUnsignedInt: 5 }, ...(opts.heartbeat ? [{ url: BACKPORT.heartbeatPeriod, valueUnsignedInt: opts.heartbeat }] : [])],
    },
  };
}

const issue = async (res: Response) => ((await res.json()) as OperationOutcome).issue.map((i) => [i.details?.coding?.[0]?.code, i.expression?.[0]]);
const param = (p: Parameters, name: string) => p.parameter?.find((x) => x.name === name);

describe.each<Mode>(['scaled', 'embedded'])('FHIR Subscriptions on safeguarding Flags (%s)', (mode) => {
  let h: Harness;
  let ehr: FakeEhr;
  let hook: SubscriberEndpoint;
  let n = 100;
  beforeAll(async () => {
    ehr = fakeEhr(EHR);
    hook = await startSubscriberEndpoint();
    h = await startHarness(mode, { config: CONFIG });
  });
  afterAll(async () => {
    await h?.close();
    await hook?.close();
    ehr?.server.close();
  });

  const json = (body: unknown) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/fhir+json' } });
  async function subscribe(token: string, body: unknown): Promise<Subscription> {
    const res = await h.request('/fhir/Subscription', { method: 'POST', token, ...json(body) });
    expect(res.status, JSON.stringify(await res.clone().json())).toBe(201);
    return (await res.json()) as Subscription;
  }
  const read = async (id: string, token: string) => (await (await h.request(`/fhir/Subscription/${id}`, { token })).json()) as Subscription;
  const active = (id: string, token: string) => h.waitFor(async () => (await read(id, token)).status === 'active');
  /** A new family with a bruised baby at a postcode: SO16 is routed to hv-south, BH1 to hv-bmth. */
  async function family(postcode: string) {
    const ids = { recordId: `S-${mode}-${n}`, motherNhs: testNhsNumber(n++), babyNhs: testNhsNumber(n++) };
    const record = recordWithBruise({ ...ids, ageDays: 9, postcode, gp: 'X00001' });
    expect((await h.postRecord('maternity', record)).status).toBe(202);
    await h.settle();
    const flags = (await (await h.request(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${ids.babyNhs}`)}`)).json()) as Bundle;
    return { record, flag: flags.entry![0]!.resource as Flag };
  }

  it('refuses invalid Subscriptions with OperationOutcomes, and anyone who may not read', async () => {
    const wrongTopic = { ...subscription(`${hook.url}/x`, 'id-only'), criteria: 'https://example.org/SubscriptionTopic/admission' };
    const res = await h.request('/fhir/Subscription', { method: 'POST', token: 'south-token', ...json(wrongTopic) });
    expect([res.status, await issue(res)]).toEqual([422, [['CRADLE_SUBSCRIPTION_UNSUPPORTED', 'Subscription.criteria']]]);
    const noContent = subscription(`${hook.url}/x`, 'id-only');
    delete (noContent.channel as { _payload?: unknown })._payload;
    const missing = await h.request('/fhir/Subscription', { method: 'POST', token: 'south-token', ...json({ ...noContent, channel: { ...noContent.channel, type: 'email' } }) });
    expect(await issue(missing)).toEqual([
      ['CRADLE_INPUT_MISSING', `Subscription.channel.payload.extension('${BACKPORT.payloadContent}')`],
      ['CRADLE_SUBSCRIPTION_UNSUPPORTED', 'Subscription.channel.type'],
    ]);
    const schema = await h.request('/fhir/Subscription', { method: 'POST', token: 'south-token', ...json({ resourceType: 'Subscription', status: 'requested', criteria: SAFEGUARDING_FLAG_TOPIC }) });
    expect([schema.status, (await issue(schema))[0]![0]]).toEqual([422, 'CRADLE_FHIR_INVALID']);
    const plain = await h.request('/fhir/Subscription', { method: 'POST', token: 'south-token', ...json(subscription('http://hv.example.org/x', 'full-resource')) });
    expect(await issue(plain)).toEqual([['CRADLE_SUBSCRIPTION_UNSUPPORTED', 'Subscription.channel.endpoint']]);
    const garbage = await h.request('/fhir/Subscription', { method: 'POST', token: 'south-token', body: '{', headers: { 'content-type': 'application/fhir+json' } });
    expect(garbage.status).toBe(400);
    const ingestOnly = await h.request('/fhir/Subscription', { method: 'POST', token: 'maternity-token', ...json(subscription(`${hook.url}/x`, 'id-only')) });
    expect([ingestOnly.status, (await issue(ingestOnly))[0]![0]]).toEqual([403, 'CRADLE_FORBIDDEN']);
    expect(((await (await h.request('/fhir/Subscription', { token: 'south-token' })).json()) as Bundle).total).toBe(0);
    // Everything else in the FHIR API stays read-only.
    expect((await h.request('/fhir/Flag', { method: 'POST', ...json({ resourceType: 'Flag' }) })).status).toBe(405);
    expect((await h.request('/fhir/Subscription/x', { method: 'PATCH', ...json({}) })).status).toBe(405);
  });

  it('handshakes, then notifies each subscriber of its own families only (id-only and full-resource)', async () => {
    const south = await subscribe('south-token', subscription(`${hook.url}/south`, 'id-only', { headers: ['Authorization: Bearer hook-secret'] }));
    expect(south.status).toBe('requested');
    const bmth = await subscribe('bmth-token', subscription(`${hook.url}/bmth`, 'full-resource'));
    await active(south.id!, 'south-token');
    await active(bmth.id!, 'bmth-token');
    const [handshake] = hook.at('/south', 'handshake');
    expect(handshake).toMatchObject({ statusCode: 'requested', eventsSinceStart: 0 });
    expect(handshake!.headers).toMatchObject({ authorization: 'Bearer hook-secret', 'content-type': 'application/fhir+json' });
    expect(handshake!.bundle).toMatchObject({ resourceType: 'Bundle', type: 'history' });

    const southFamily = await family('SO16 6YD');
    const bmthFamily = await family('BH1 1AA');
    const [southEvent] = await h.waitFor(async () => hook.at('/south', 'event-notification').length > 0 && hook.at('/south', 'event-notification'));
    expect(southEvent).toMatchObject({ statusCode: 'active', eventsSinceStart: 1, eventNumbers: [1], focus: [expect.stringMatching(new RegExp(`/fhir/Flag/${southFamily.flag.id}$`))] });
    expect(southEvent!.bundle.entry![1]).toMatchObject({ request: { method: 'POST', url: 'Flag' }, response: { status: '201' } });
    expect(southEvent!.bundle.entry![1]!.resource).toBeUndefined();
    const [bmthEvent] = await h.waitFor(async () => hook.at('/bmth', 'event-notification').length > 0 && hook.at('/bmth', 'event-notification'));
    expect(bmthEvent!.focus).toEqual([expect.stringMatching(new RegExp(`/fhir/Flag/${bmthFamily.flag.id}$`))]);
    expect((bmthEvent!.bundle.entry![1]!.resource as Flag)).toMatchObject({ id: bmthFamily.flag.id, status: 'active', subject: bmthFamily.flag.subject });
    // Neither hears of the other's family.
    const heardBy = (path: string) => hook.at(path).flatMap((x) => x.focus);
    expect(heardBy('/south').some((f) => f.endsWith(bmthFamily.flag.id!))).toBe(false);
    expect(heardBy('/bmth').some((f) => f.endsWith(southFamily.flag.id!))).toBe(false);

    // The finding withdrawn: the Flag set inactive is event 2, an update.
    const v2 = { ...southFamily.record, version: 2, contacts: [{ ...southFamily.record.contacts![0]!, findings: [] }] };
    await h.postRecord('maternity', v2);
    await h.settle();
    const second = await h.waitFor(async () => hook.at('/south', 'event-notification').find((x) => x.eventNumbers.includes(2)));
    expect(second).toMatchObject({ eventsSinceStart: 2, eventNumbers: [2] });
    expect(second.bundle.entry![1]).toMatchObject({ request: { method: 'PUT', url: `Flag/${southFamily.flag.id}` }, response: { status: '200' } });
    expect(hook.at('/south', 'event-notification').flatMap((x) => x.eventNumbers)).toEqual([1, 2]);

    // A subscription is its owner's: others neither see nor touch it.
    expect((await h.request(`/fhir/Subscription/${south.id}`, { token: 'bmth-token' })).status).toBe(404);
    expect((await h.request(`/fhir/Subscription/${south.id}/$events`, { token: 'bmth-token' })).status).toBe(404);
    expect((await h.request(`/fhir/Subscription/${south.id}`, { method: 'DELETE', token: 'bmth-token' })).status).toBe(404);
    const mine = (await (await h.request('/fhir/Subscription', { token: 'bmth-token' })).json()) as Bundle;
    expect(mine.entry!.map((e) => e.resource!.id)).toEqual([bmth.id]);
  });

  it('sends heartbeats at the period asked for', async () => {
    const sub = await subscribe('south-token', subscription(`${hook.url}/heartbeat`, 'empty', { heartbeat: 1 }));
    await active(sub.id!, 'south-token');
    const beats = await h.waitFor(async () => hook.at('/heartbeat', 'heartbeat').length >= 2 && hook.at('/heartbeat', 'heartbeat'), 10_000);
    expect(beats[0]).toMatchObject({ statusCode: 'active', eventNumbers: [], focus: [] });
    expect(param(beats[0]!.status, 'topic')).toBeUndefined();
    expect(Date.parse(beats[1]!.bundle.timestamp!) - Date.parse(beats[0]!.bundle.timestamp!)).toBeGreaterThanOrEqual(900);
    expect((await h.request(`/fhir/Subscription/${sub.id}`, { method: 'DELETE', token: 'south-token' })).status).toBe(204);
  });

  it('keeps events while the endpoint is down: $status shows the count, $events returns the missed ones, re-activation resends', async () => {
    const flaky = () => subscription(`${hook.url}/flaky`, 'id-only', { filter: 'Flag?status=active', heartbeat: 1 });
    const sub = await subscribe('south-token', flaky());
    await active(sub.id!, 'south-token');
    hook.down.add('/flaky');
    const missed = [await family('SO16 1AA'), await family('SO16 2BB')];
    await h.waitFor(async () => (await read(sub.id!, 'south-token')).status === 'error');
    expect(hook.at('/flaky', 'event-notification')).toEqual([]);
    expect(hook.refused.get('/flaky')).toBeGreaterThanOrEqual(3);

    const status = (await (await h.request(`/fhir/Subscription/${sub.id}/$status`, { token: 'south-token' })).json()) as Bundle;
    expect(status).toMatchObject({ type: 'searchset', total: 1 });
    const p = status.entry![0]!.resource as Parameters;
    expect([param(p, 'type')?.valueCode, param(p, 'status')?.valueCode, param(p, 'events-since-subscription-start')?.valueString])
      .toEqual(['query-status', 'error', '2']);
    expect(param(p, 'error')?.valueCodeableConcept?.coding?.[0]?.code).toBe('CRADLE_SUBSCRIBER_UNAVAILABLE');
    const inError = (await (await h.request('/fhir/Subscription/$status?status=error', { token: 'south-token' })).json()) as Bundle;
    expect(inError.entry!.map((e) => param(e.resource as Parameters, 'subscription')?.valueReference?.reference)).toEqual([expect.stringMatching(new RegExp(`/Subscription/${sub.id}$`))]);
    expect(((await (await h.request('/fhir/Subscription/$status?status=error', { token: 'bmth-token' })).json()) as Bundle).total).toBe(0);

    const events = (await (await h.request(`/fhir/Subscription/${sub.id}/$events?eventsSinceNumber=1&content=full-resource`, { token: 'south-token' })).json()) as Bundle;
    const q = events.entry![0]!.resource as Parameters;
    expect([events.type, param(q, 'type')?.valueCode]).toEqual(['history', 'query-event']);
    expect(events.entry!.slice(1).map((e) => (e.resource as Flag).id)).toEqual(missed.map((m) => m.flag.id));
    const onlySecond = (await (await h.request(`/fhir/Subscription/${sub.id}/$events?eventsSinceNumber=2&eventsUntilNumber=2`, { token: 'south-token' })).json()) as Bundle;
    expect(onlySecond.entry!.slice(1).map((e) => [e.fullUrl?.split('/').pop(), e.resource])).toEqual([[missed[1]!.flag.id, undefined]]);
    expect((await h.request(`/fhir/Subscription/${sub.id}/$events?eventsSinceNumber=zero`, { token: 'south-token' })).status).toBe(400);

    // Every attempt is audited against the subscriber's client: the handshake, then three refused tries per batch.
    const audits = (await (await h.request(`/fhir/AuditEvent?entity=Subscription/${sub.id}&_sort=_lastUpdated&_count=100`)).json()) as Bundle;
    const outcomes = audits.entry!.map((e) => e.resource as AuditEvent).filter((a) => a.subtype?.[0]?.code === 'operation' && a.action === 'E');
    expect(outcomes[0]!.outcome).toBe('0');
    expect(outcomes.slice(1).every((a) => a.outcome === '4')).toBe(true);
    expect(outcomes[0]!.agent![0]!.who!.identifier).toEqual({ system: 'https://fhir.cradle.org.uk/Id/client', value: 'hv-south-client' });

    // The endpoint is back: heartbeats carry the error and the count, so the subscriber sees its gap (IG, Errors).
    hook.down.delete('/flaky');
    const beat = await h.waitFor(async () => hook.at('/flaky', 'heartbeat').find((x) => x.statusCode === 'error'));
    expect(beat.eventsSinceStart).toBe(2);
    // It asks for re-activation: a new handshake, then the events it missed.
    const again = await h.request(`/fhir/Subscription/${sub.id}`, { method: 'PUT', token: 'south-token', ...json({ ...flaky(), id: sub.id }) });
    expect(again.status).toBe(200);
    await active(sub.id!, 'south-token');
    const resent = await h.waitFor(async () => hook.at('/flaky', 'event-notification').length > 0 && hook.at('/flaky', 'event-notification'));
    expect(resent.flatMap((x) => x.eventNumbers)).toEqual([1, 2]);
    expect(hook.at('/flaky', 'handshake')).toHaveLength(2);
    expect((await h.request(`/fhir/Subscription/${sub.id}`, { method: 'DELETE', token: 'south-token' })).status).toBe(204);
  });

  it('deletes a subscription on its owner\'s request, and sends it nothing more', async () => {
    const sub = await subscribe('bmth-token', subscription(`${hook.url}/gone`, 'id-only'));
    await active(sub.id!, 'bmth-token');
    expect((await h.request(`/fhir/Subscription/${sub.id}`, { method: 'DELETE', token: 'bmth-token' })).status).toBe(204);
    expect((await h.request(`/fhir/Subscription/${sub.id}`, { token: 'bmth-token' })).status).toBe(404);
    await family('BH1 2CC');
    await h.waitFor(async () => hook.at('/bmth', 'event-notification').length >= 2);
    expect(hook.at('/gone', 'event-notification')).toEqual([]);
  });
});
