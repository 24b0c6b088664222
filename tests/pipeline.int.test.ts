import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, DetectedIssue, Flag } from '../src/fhir/types.js';
import { fakeEhr, type FakeEhr } from './support/fake-ehr.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { fullRecord, NHS_SYSTEM, recordWithBruise } from './support/records.js';

const EHR = 'https://hv.example.test/fhir';
const CONFIG = {
  recipients: [{ id: 'hv-southampton', kind: 'health-visiting', name: 'Southampton Health Visiting',
    endpoint: { baseUrl: EHR, auth: { type: 'bearer', token: 'ehr-token' } }, routing: { postcodePrefixes: ['SO16'] } }],
};

async function flagsFor(h: Harness, nhs: string): Promise<Flag[]> {
  const res = await h.request(`/fhir/Flag?patient.identifier=${encodeURIComponent(`${NHS_SYSTEM}|${nhs}`)}`);
  const bundle = (await res.json()) as Bundle;
  return (bundle.entry ?? []).map((e) => e.resource as Flag);
}

const priority = (f: Flag) => f.extension?.find((e) => e.url.endsWith('flag-priority'))?.valueCodeableConcept?.coding?.[0]?.code;

// The same path, on real PostgreSQL + Redis (BullMQ) and on the embedded PGlite + in-process queue.
describe.each<Mode>(['scaled', 'embedded'])('maternity record to pushed alert (%s)', (mode) => {
  let h: Harness;
  let ehr: FakeEhr;
  beforeAll(async () => {
    ehr = fakeEhr(EHR);
    h = await startHarness(mode, { config: CONFIG });
  });
  afterAll(async () => {
    await h?.close();
    ehr?.server.close();
  });
  afterEach(() => {
    ehr.script = [];
  });

  it('turns a bruise on a 6-week-old into an active high-priority Flag, pushed to the health visitors', async () => {
    const mother = testNhsNumber(1);
    const baby = testNhsNumber(2);
    const res = await h.postRecord('maternity', recordWithBruise({ recordId: 'P-6WK', motherNhs: mother, babyNhs: baby, ageDays: 42 }));
    expect(res.status).toBe(202);
    const { messageId } = (await res.json()) as { messageId: string };
    const [flag] = await h.waitFor(async () => {
      const f = await flagsFor(h, baby);
      return f.length ? f : undefined;
    });
    expect(flag!.status).toBe('active');
    expect(priority(flag!)).toBe('PH');
    expect(flag!.code.coding?.[0]).toMatchObject({ code: 'bruising-non-mobile-infant' });
    await h.settle();
    const pushed = ehr.received.find((b) => b.entry?.some((e) => e.resource?.resourceType === 'Flag' && (e.resource as Flag).identifier?.[0]?.value === flag!.id));
    expect(pushed?.type).toBe('transaction');
    expect(pushed!.entry!.find((e) => e.resource?.resourceType === 'Patient')?.request?.url).toContain('Patient?identifier=');
    const message = await (await h.request(`/ingest/messages/${messageId}`)).json() as { status: string; resources: string[] };
    expect(message.status).toBe('processed');
    expect(message.resources.length).toBeGreaterThan(3);
    const audit = (await (await h.request('/fhir/AuditEvent?subtype=transaction&outcome=0')).json()) as Bundle;
    expect(audit.total).toBeGreaterThan(0);
  });

  it('gives the same message id for the same record twice, with no duplicate resources, Flags or pushes', async () => {
    const record = recordWithBruise({ recordId: 'P-TWICE', motherNhs: testNhsNumber(3), babyNhs: testNhsNumber(4), ageDays: 20 });
    const first = (await (await h.postRecord('maternity', record)).json()) as { messageId: string };
    await h.settle();
    // Every message gets its own Provenance and every push its AuditEvent; the facts must not multiply.
    const countResources = async () => (await h.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM resource WHERE res_type NOT IN ('AuditEvent', 'Provenance')`)).rows[0]!.n;
    const countVersions = async () => (await h.rt.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM resource_version WHERE res_type NOT IN ('AuditEvent', 'Provenance')`)).rows[0]!.n;
    const before = { resources: await countResources(), versions: await countVersions(), pushes: ehr.received.length, flags: (await flagsFor(h, testNhsNumber(4))).length };
    const again = await h.postRecord('maternity', record);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { messageId: string }).messageId).toBe(first.messageId);
    // The same content under a new version is a new message, but changes nothing.
    const bumped = await h.postRecord('maternity', { ...record, version: 2 });
    expect(bumped.status).toBe(202);
    await h.settle();
    expect(await countResources()).toBe(before.resources);
    expect(await countVersions()).toBe(before.versions);
    expect((await flagsFor(h, testNhsNumber(4))).length).toBe(before.flags);
    expect(before.flags).toBe(1);
    expect(ehr.received.length).toBe(before.pushes);
  });

  it('stays silent for a bruise on a 7-month-old, and lowers priority when NIPE recorded a birthmark there', async () => {
    await h.postRecord('maternity', recordWithBruise({ recordId: 'P-7MO', motherNhs: testNhsNumber(5), babyNhs: testNhsNumber(6), ageDays: 214 }));
    const nipe = recordWithBruise({ recordId: 'P-NIPE', motherNhs: testNhsNumber(7), babyNhs: testNhsNumber(8), ageDays: 15, site: 'Sacrum' });
    nipe.babies![0]!.nipe = { date: '2026-10-01T20:00:00Z', skinFindings: [{ kind: 'birthmark', bodySite: 'sacrum', description: 'Mongolian blue spot' }] };
    await h.postRecord('maternity', nipe);
    await h.settle();
    expect(await flagsFor(h, testNhsNumber(6))).toEqual([]);
    const [flag] = await flagsFor(h, testNhsNumber(8));
    expect(priority(flag!)).toBe('PM');
    const issue = (await (await h.request(`/fhir/${flag!.extension!.find((e) => e.valueReference)!.valueReference!.reference}`)).json()) as DetectedIssue;
    expect(issue.detail).toMatch(/birthmark was recorded at the same site/);
    expect(issue.mitigation?.[0]?.action?.text).toMatch(/Compare the mark with the birthmark/);
    for (const ref of issue.evidence![0]!.detail!) expect((await h.request(`/fhir/${ref.reference}`)).status).toBe(200);
  });

  it('sets the Flag inactive with an end date when a newer version withdraws the finding, and pushes that', async () => {
    const baby = testNhsNumber(10);
    const v1 = recordWithBruise({ recordId: 'P-WD', motherNhs: testNhsNumber(9), babyNhs: baby, ageDays: 30 });
    await h.postRecord('maternity', v1);
    await h.settle();
    const [active] = await flagsFor(h, baby);
    expect(active!.status).toBe('active');
    const v2 = { ...v1, version: 2, contacts: [{ ...v1.contacts![0]!, findings: [] }] };
    await h.postRecord('maternity', v2);
    await h.settle();
    const [inactive] = await flagsFor(h, baby);
    expect(inactive!.id).toBe(active!.id);
    expect(inactive!.status).toBe('inactive');
    expect(inactive!.period?.end).toBeDefined();
    const last = ehr.received.filter((b) => b.entry?.some((e) => (e.resource as Flag)?.identifier?.[0]?.value === active!.id)).at(-1)!;
    expect((last.entry!.find((e) => e.resource?.resourceType === 'Flag')!.resource as Flag).status).toBe('inactive');
    // A late, older version is kept but changes nothing.
    const late = await h.postRecord('maternity', { ...v1, updatedAt: '2026-10-31T09:00:00Z' });
    const { messageId } = (await late.json()) as { messageId: string };
    await h.settle();
    const stored = (await (await h.request(`/ingest/messages/${messageId}`)).json()) as { status: string; outcome: { issue: Array<{ details: { coding: Array<{ code: string }> } }> } };
    expect(stored.status).toBe('processed');
    expect(stored.outcome.issue[0]!.details.coding[0]!.code).toBe('CRADLE_VERSION_SUPERSEDED');
    expect((await flagsFor(h, baby))[0]!.status).toBe('inactive');
  });

  it('rejects invalid input with a 422 pointing at the field, keeps it, and can replay it', async () => {
    const bad = recordWithBruise({ recordId: 'P-BAD', motherNhs: testNhsNumber(11), babyNhs: testNhsNumber(12), ageDays: 10 }) as unknown as Record<string, unknown>;
    (bad.mother as Record<string, unknown>).birthDate = '01/02/1995';
    const res = await h.postRecord('maternity', bad);
    expect(res.status).toBe(422);
    const outcome = (await res.json()) as { issue: Array<{ expression: string[]; details: { coding: Array<{ code: string }> } }> };
    expect(outcome.issue[0]!.expression).toEqual(['$.mother.birthDate']);
    const id = res.headers.get('x-cradle-message-id')!;
    const kept = (await (await h.request(`/ingest/messages/${id}`)).json()) as { status: string };
    expect(kept.status).toBe('rejected');
    const replay = await h.request(`/admin/messages/${id}/replay`, { method: 'POST' });
    expect(replay.status).toBe(202);
    await h.settle();
    const after = (await (await h.request(`/ingest/messages/${id}`)).json()) as { status: string; outcome: { issue: Array<{ expression: string[] }> } };
    expect(after.status).toBe('rejected');
    expect(after.outcome.issue[0]!.expression).toEqual(['$.mother.birthDate']);
  });

  it('maps the full CONTRACTS.md example into one family with the partner and sibling linked', async () => {
    const res = await h.postRecord('maternity', fullRecord());
    expect(res.status).toBe(202);
    await h.settle();
    const families = await h.rt.db.query<{ role: string }>(
      `SELECT role FROM family_member WHERE family_key = (SELECT id FROM resource r WHERE res_type = 'Patient'
         AND content->'identifier' @> '[{"value":"9434765919"}]') ORDER BY role`);
    expect(families.rows.map((r) => r.role).sort()).toEqual(['child', 'child', 'mother', 'partner']);
  });
});
