import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Bundle, CapabilityStatement, Flag, OperationOutcome } from '../src/fhir/types.js';
import { fakeEhr, type FakeEhr } from './support/fake-ehr.js';
import { startHarness, type Harness } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM, recordWithBruise } from './support/records.js';

const EHR = 'https://ehr.example.test/fhir';
const CONFIG = {
  limits: { maxBodyBytes: 4096 },
  clients: [
    { id: 'rhm-maternity', token: 'maternity-token', roles: ['ingest:maternity'] },
    { id: 'la-socialcare', token: 'socialcare-token', roles: ['ingest:socialcare'] },
    { id: 'hv-south-client', token: 'hv-south-token', roles: ['read:hv-south'] },
  ],
  recipients: [
    { id: 'hv-south', kind: 'health-visiting', endpoint: { baseUrl: `${EHR}/south` }, routing: { postcodePrefixes: ['SO16'] } },
    { id: 'hv-bournemouth', kind: 'health-visiting', endpoint: { baseUrl: `${EHR}/bmth` }, routing: { postcodePrefixes: ['BH1'] } },
  ],
};

const code = async (res: Response) => ((await res.json()) as OperationOutcome).issue[0]?.details?.coding?.[0]?.code;

describe('gateway', () => {
  let h: Harness;
  let ehr: FakeEhr;
  const south = { mother: testNhsNumber(30), baby: testNhsNumber(31) };
  const bmth = { mother: testNhsNumber(32), baby: testNhsNumber(33) };
  beforeAll(async () => {
    ehr = fakeEhr(EHR);
    h = await startHarness('embedded', { config: CONFIG });
    await h.postRecord('maternity', recordWithBruise({ recordId: 'G-SOUTH', motherNhs: south.mother, babyNhs: south.baby, ageDays: 9, postcode: 'SO16 6YD', gp: 'X00001' }));
    await h.postRecord('maternity', recordWithBruise({ recordId: 'G-BMTH', motherNhs: bmth.mother, babyNhs: bmth.baby, ageDays: 9, postcode: 'BH1 1AA', gp: 'X00002' }));
    await h.settle();
  });
  afterAll(async () => {
    await h?.close();
    ehr?.server.close();
  });

  it('answers health checks and metadata without a token', async () => {
    expect((await h.request('/healthz', { token: null })).status).toBe(200);
    expect(await (await h.request('/readyz', { token: null })).json()).toEqual({ status: 'ready', store: 'pglite', queue: 'memory' });
    const cs = (await (await h.request('/fhir/metadata', { token: null })).json()) as CapabilityStatement;
    const flag = cs.rest![0]!.resource!.find((r) => r.type === 'Flag')!;
    expect(flag.searchParam!.map((p) => p.name)).toEqual(expect.arrayContaining(['patient', 'status', 'code', 'identifier']));
  });

  it('refuses missing and unknown tokens (401) and missing roles (403)', async () => {
    const none = await h.request('/ingest/maternity', { method: 'POST', token: null, body: '{}', headers: { 'content-type': 'application/json' } });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect(await code(none)).toBe('CRADLE_AUTH_REQUIRED');
    expect(await code(await h.request('/fhir/Flag', { token: 'nope' }))).toBe('CRADLE_AUTH_INVALID');
    const wrongSource = await h.postRecord('maternity', {}, 'socialcare-token');
    expect(wrongSource.status).toBe(403);
    expect((await h.request('/fhir/Flag', { token: 'maternity-token' })).status).toBe(403);
    expect((await h.request('/admin/messages', { token: 'hv-south-token' })).status).toBe(403);
  });

  it('answers bad requests with OperationOutcomes: unknown source, media type, size, parse errors', async () => {
    const unknown = await h.request('/ingest/nosuch', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect([unknown.status, await code(unknown)]).toEqual([404, 'CRADLE_UNKNOWN_SOURCE']);
    const media = await h.request('/ingest/maternity', { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } });
    expect([media.status, await code(media)]).toEqual([415, 'CRADLE_UNSUPPORTED_MEDIA_TYPE']);
    const big = await h.postRecord('maternity', JSON.stringify({ pad: 'x'.repeat(5000) }), 'maternity-token');
    expect([big.status, await code(big)]).toEqual([413, 'CRADLE_PAYLOAD_TOO_LARGE']);
    const garbage = await h.postRecord('maternity', '{"recordType": maternity', 'maternity-token');
    expect([garbage.status, await code(garbage)]).toEqual([400, 'CRADLE_PARSE_ERROR']);
    const kept = await h.request(`/ingest/messages/${garbage.headers.get('x-cradle-message-id')}`, { token: 'maternity-token' });
    expect(((await kept.json()) as { status: string }).status).toBe('rejected');
    // A message is visible to clients of its source, and to nobody else.
    expect((await h.request(`/ingest/messages/${garbage.headers.get('x-cradle-message-id')}`, { token: 'socialcare-token' })).status).toBe(404);
  });

  it('is read-only: writes answer 405', async () => {
    for (const [method, path] of [['POST', '/fhir/Flag'], ['PUT', '/fhir/Flag/x'], ['DELETE', '/fhir/Patient/x'], ['PATCH', '/fhir/Flag/x'], ['POST', '/fhir']]) {
      const res = await h.request(path!, { method, body: '{}', headers: { 'content-type': 'application/fhir+json' } });
      expect([path, res.status, await code(res)]).toEqual([path, 405, 'CRADLE_METHOD_NOT_ALLOWED']);
    }
  });

  it('searches Flags by status, code, patient and patient.identifier, and refuses what it cannot search', async () => {
    const byIdentifier = (await (await h.request(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${south.baby}`)}&_include=Flag:patient`)).json()) as Bundle;
    expect(byIdentifier.total).toBe(1);
    const flag = byIdentifier.entry!.find((e) => e.search?.mode === 'match')!.resource as Flag;
    expect(byIdentifier.entry!.find((e) => e.search?.mode === 'include')!.resource!.resourceType).toBe('Patient');
    const patientId = flag.subject!.reference!.slice(8);
    for (const q of [`patient=Patient/${patientId}`, `patient=${patientId}`, 'status=active',
      `code=${encodeURIComponent('https://fhir.cradle.org.uk/CodeSystem/safeguarding-rule|bruising-non-mobile-infant')}`, 'code=bruising-non-mobile-infant']) {
      const b = (await (await h.request(`/fhir/Flag?${q}`)).json()) as Bundle;
      expect(b.entry!.some((e) => e.resource!.id === flag.id), q).toBe(true);
    }
    expect(((await (await h.request('/fhir/Flag?status=inactive')).json()) as Bundle).total).toBe(0);
    const unsupported = await h.request('/fhir/Flag?colour=red');
    expect([unsupported.status, await code(unsupported)]).toEqual([400, 'CRADLE_SEARCH_UNSUPPORTED']);
    const read = await h.request(`/fhir/Flag/${flag.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get('etag')).toMatch(/^W\/"\d+"$/);
    expect((await h.request('/fhir/Flag/does-not-exist')).status).toBe(404);
  });

  it('shows a recipient only the families routed to it, on every path', async () => {
    const token = 'hv-south-token';
    const all = (await (await h.request('/fhir/Flag?_include=Flag:patient', { token })).json()) as Bundle;
    const subjects = all.entry!.filter((e) => e.resource!.resourceType === 'Flag').map((e) => (e.resource as Flag).subject!.reference);
    expect(subjects).toHaveLength(1);
    const own = (await (await h.request(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${south.baby}`)}`, { token })).json()) as Bundle;
    expect(own.total).toBe(1);
    expect(subjects[0]).toBe(`Patient/${own.entry![0]!.resource!.id}`);
    const other = (await (await h.request(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${bmth.baby}`)}`)).json()) as Bundle;
    const otherId = other.entry![0]!.resource!.id;
    expect(((await (await h.request(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${bmth.baby}`)}`, { token })).json()) as Bundle).total).toBe(0);
    expect((await h.request(`/fhir/Patient/${otherId}`, { token })).status).toBe(404);
    expect(((await (await h.request(`/fhir/Flag?patient=Patient/${otherId}`, { token })).json()) as Bundle).total).toBe(0);
    expect(((await (await h.request(`/fhir/Observation?patient=Patient/${otherId}`, { token })).json()) as Bundle).total).toBe(0);
    expect((await h.request('/fhir/AuditEvent', { token })).status).toBe(403);
  });

  it('audits every read with the client that made it', async () => {
    await h.request('/fhir/Flag?status=active', { token: 'hv-south-token' });
    const audits = (await (await h.request(`/fhir/AuditEvent?agent=${encodeURIComponent('https://fhir.cradle.org.uk/Id/client|hv-south-client')}`)).json()) as Bundle;
    expect(audits.total).toBeGreaterThan(0);
    const event = audits.entry![0]!.resource as AuditEvent;
    expect(event.subtype![0]!.code).toMatch(/read|search-type/);
    expect(event.recorded).toBeDefined();
  });

  it('validates resources with $validate, pointing at the field', async () => {
    const ok = (await (await h.request('/fhir/$validate', { method: 'POST', body: JSON.stringify({ resourceType: 'Patient', birthDate: '2020-01-01' }), headers: { 'content-type': 'application/fhir+json' } })).json()) as OperationOutcome;
    expect(ok.issue[0]!.severity).toBe('information');
    const bad = (await (await h.request('/fhir/$validate', { method: 'POST', body: JSON.stringify({ resourceType: 'Patient', gender: 'f' }), headers: { 'content-type': 'application/fhir+json' } })).json()) as OperationOutcome;
    expect(bad.issue[0]!.expression).toEqual(['Patient.gender']);
  });
});
