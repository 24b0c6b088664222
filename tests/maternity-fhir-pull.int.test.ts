import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/fhir/canonical.js';
import type { AnyResource, Bundle, Flag, OperationOutcome } from '../src/fhir/types.js';
import { packageRoot } from '../src/util/package-root.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';

const VENDOR = 'https://spine.badger.example/fhir';
const TOKEN_URL = 'https://spine.badger.example/oauth2/token';
const CONFIG = {
  clients: [
    { id: 'badgernet-webhook', token: 'webhook-token', roles: ['ingest:maternity-fhir'] },
    { id: 'someone-else', token: 'other-token', roles: ['ingest:maternity'] },
  ],
  pull: { 'maternity-fhir': { baseUrl: VENDOR, auth: { type: 'oauth2', tokenUrl: TOKEN_URL, clientId: 'cradle', clientSecret: 's3cret', scope: 'system/*.read' } } },
};

/** The maternity system's copy: the golden BadgerNet-style Bundle, with server metadata, and another pregnancy of the same mother. */
function vendorData() {
  let text = readFileSync(join(packageRoot, 'mappings/maternity-fhir/cases/badgernet-style-copy.input.json'), 'utf8');
  // A server answers with its own `Type/id` references, not the Bundle's urn:uuid fullUrls.
  for (const e of (JSON.parse(text) as Bundle).entry!) if (e.fullUrl) text = text.split(e.fullUrl).join(`${e.resource!.resourceType}/${e.resource!.id}`);
  const resources = (JSON.parse(text) as Bundle).entry!.map((e) => ({ ...e.resource!, meta: { lastUpdated: '2026-11-28T12:05:00Z' } }) as AnyResource);
  const earlier: AnyResource[] = [
    { resourceType: 'EpisodeOfCare', id: 'bn-preg-12', status: 'finished', patient: { reference: 'Patient/bn-pat-771' },
      type: [{ coding: [{ system: SYSTEM.snomed, code: '77386006' }] }], identifier: [{ system: 'https://badgernet.example.nhs.uk/Id/pregnancy', value: 'RHM-PREG-000007' }] },
    { resourceType: 'Encounter', id: 'bn-enc-old', status: 'finished', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      identifier: [{ system: 'https://badgernet.example.nhs.uk/Id/contact', value: 'OLD-1' }], subject: { reference: 'Patient/bn-pat-771' },
      episodeOfCare: [{ reference: 'EpisodeOfCare/bn-preg-12' }], period: { start: '2024-03-01T10:00:00Z' } },
  ];
  return { episode: resources.find((r) => r.resourceType === 'EpisodeOfCare')!, everything: [...resources.filter((r) => r.resourceType !== 'EpisodeOfCare'), ...earlier] };
}

interface Vendor { tokenRequests: number; authHeaders: string[]; failNext: number | undefined; elsewhere: number }

function fakeMaternitySystem(vendor: Vendor) {
  const { episode, everything } = vendorData();
  const page = (entries: AnyResource[], next?: string): Bundle => ({ resourceType: 'Bundle', type: 'searchset',
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}), entry: entries.map((resource) => ({ resource })) });
  const half = Math.ceil(everything.length / 2);
  return setupServer(
    http.post(TOKEN_URL, async ({ request }) => {
      vendor.tokenRequests++;
      const form = new URLSearchParams(await request.text());
      const basic = `Basic ${Buffer.from('cradle:s3cret').toString('base64')}`;
      if (request.headers.get('authorization') !== basic || form.get('grant_type') !== 'client_credentials') return new HttpResponse(null, { status: 401 });
      return HttpResponse.json({ access_token: 'vendor-token', token_type: 'bearer', expires_in: 3600 });
    }),
    http.get(`${VENDOR}/EpisodeOfCare/:id`, ({ params, request }) => {
      vendor.authHeaders.push(request.headers.get('authorization') ?? '');
      if (vendor.failNext) return HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: vendor.failNext });
      if (params.id === 'bn-preg-astray') return HttpResponse.json({ ...episode, id: 'bn-preg-astray', patient: { reference: 'Patient/bn-pat-astray' } });
      return params.id === episode.id ? HttpResponse.json(episode) : HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 404 });
    }),
    // A record whose next page points at another server: the token must not follow it there.
    http.get(`${VENDOR}/Patient/bn-pat-astray/$everything`, () => HttpResponse.json(page(everything.slice(0, 2), 'https://elsewhere.example.test/fhir/steal?page=2'))),
    http.get('https://elsewhere.example.test/fhir/steal', () => {
      vendor.elsewhere++;
      return HttpResponse.json(page([]));
    }),
    // Two pages, so the connector must follow `next`.
    http.get(`${VENDOR}/Patient/bn-pat-771/$everything`, ({ request }) => HttpResponse.json(new URL(request.url).searchParams.get('page') === '2'
      ? page(everything.slice(half)) : page(everything.slice(0, half), `${VENDOR}/Patient/bn-pat-771/$everything?page=2`))),
  );
}

describe.each<Mode>(['scaled', 'embedded'])('maternity-fhir pull connector (%s)', (mode) => {
  let h: Harness;
  const vendor: Vendor = { tokenRequests: 0, authHeaders: [], failNext: undefined, elsewhere: 0 };
  const server = fakeMaternitySystem(vendor);
  beforeAll(async () => {
    server.listen({ onUnhandledRequest: 'bypass' });
    h = await startHarness(mode, { config: CONFIG });
  });
  afterAll(async () => {
    await h?.close();
    server.close();
  });

  const notify = (body: unknown, token = 'webhook-token') => h.request('/ingest/maternity-fhir/notify', {
    method: 'POST', token, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const code = async (res: Response) => ((await res.json()) as OperationOutcome).issue[0]?.details?.coding?.[0]?.code;

  it('fetches the notified pregnancy with client-credentials auth and stores it as a maternity record, raising the bruising alert', async () => {
    const res = await notify({ pregnancyId: 'bn-preg-55' });
    expect(res.status).toBe(202);
    const { messageId } = (await res.json()) as { messageId: string };
    await h.settle();
    const message = (await (await h.request(`/ingest/messages/${messageId}`)).json()) as { status: string; record: { key: string } };
    expect([message.status, message.record.key]).toEqual(['processed', 'maternity-fhir|RHM|RHM-PREG-000123']);
    expect(vendor.tokenRequests).toBe(1);
    expect(vendor.authHeaders).toEqual(['Bearer vendor-token']);
    const flags = (await (await h.request(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${SYSTEM.nhsNumber}|9434765846`)}`)).json()) as Bundle;
    expect(flags.entry?.map((e) => [(e.resource as Flag).status, (e.resource as Flag).code.coding?.[0]?.code])).toEqual(expect.arrayContaining([['active', 'bruising-non-mobile-infant']]));
  });

  it('leaves out the mother\'s other pregnancy and what hangs on it', async () => {
    const old = (await (await h.request(`/fhir/Encounter?identifier=${encodeURIComponent('https://fhir.cradle.org.uk/Id/local/RHM/contact|RHM-PREG-000123/OLD-1')}`)).json()) as Bundle;
    const stored = await h.rt.db.query(`SELECT id FROM resource WHERE res_type = 'Encounter' AND content::text LIKE '%OLD-1%'`);
    expect([old.total ?? old.entry?.length ?? 0, stored.rows.length]).toEqual([0, 0]);
  });

  it('answers a second notification for unchanged data as a duplicate, reusing the cached token', async () => {
    const res = await notify({ pregnancyId: 'bn-preg-55' });
    expect(res.status).toBe(200);
    expect(vendor.tokenRequests).toBe(1);
  });

  it('refuses what it cannot fetch without storing anything: unknown pregnancy (502), system down (503)', async () => {
    const before = (await h.rt.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_message`)).rows[0]!.n;
    const unknown = await notify({ pregnancyId: 'no-such-pregnancy' });
    expect([unknown.status, await code(unknown)]).toEqual([502, 'CRADLE_SOURCE_REJECTED']);
    vendor.failNext = 503;
    const down = await notify({ pregnancyId: 'bn-preg-55' });
    vendor.failNext = undefined;
    expect([down.status, await code(down)]).toEqual([503, 'CRADLE_SOURCE_UNAVAILABLE']);
    expect((await h.rt.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM inbound_message`)).rows[0]!.n).toBe(before);
  });

  it('does not follow a next link to another server (the token would go with it), and stores nothing', async () => {
    const res = await notify({ pregnancyId: 'bn-preg-astray' });
    expect([res.status, await code(res)]).toEqual([502, 'CRADLE_SOURCE_REJECTED']);
    expect(vendor.elsewhere).toBe(0);
  });

  it('checks the notification and the caller\'s role', async () => {
    const bad = await notify({ pregnancy: 'bn-preg-55' });
    expect([bad.status, ((await bad.json()) as OperationOutcome).issue[0]!.expression]).toEqual([422, ['$.pregnancyId']]);
    expect((await notify({ pregnancyId: 'bn-preg-55' }, 'other-token')).status).toBe(403);
    const other = await h.request('/ingest/maternity/notify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect([other.status, await code(other)]).toEqual([404, 'CRADLE_UNKNOWN_SOURCE']);
  });
});
