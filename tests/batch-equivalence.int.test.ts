import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workload } from '../bench/pipeline/workload.js';
import type { MaternityRecord } from '../mappings/maternity/record.js';
import { execAssessBatch, execAssessJob } from '../src/pipeline/assess-family.js';
import { execMapBatch, execMapJob } from '../src/pipeline/map-message.js';
import type { AssessJob, MapJob } from '../src/queue/names.js';
import type { Job } from '../src/queue/queue.js';
import { startHarness, type Harness } from './support/harness.js';
import { adtPerson, ER7 } from './support/hl7.js';
import { testNhsNumber } from './support/nhs.js';
import { NHS_SYSTEM } from './support/records.js';
import { patientIdOf, storeSnapshot } from './support/store-snapshot.js';

/**
 * Batching (queue/batch.ts) must change how much the store is asked, never what it ends up
 * holding: the same messages mapped and assessed as one batch, and one job at a time, leave
 * the same resources, identity links, family edges and deliveries due. The messages are the
 * benchmark's mix plus the cases that force a batch into several rounds: two versions of one
 * record, two records naming one father, and two messages reaching one person by different
 * identifiers.
 */
const NOW = '2026-12-01T12:00:00.000Z';
const config = { recipients: [{ id: 'hv', kind: 'health-visiting', endpoint: { baseUrl: 'https://hv.batch.test/fhir' }, routing: { postcodePrefixes: ['SO16'] } }] };

interface Message { source: string; contentType: string; body: string }

function messages(): { before: Message[]; batch: Message[] } {
  const mix = workload(30, 500, Date.parse(NOW)).map((m) => ({ source: m.source, contentType: m.contentType, body: m.body.toString() }));
  // The first maternity record again, as version 2 without the bruise: the later version must win.
  const first = JSON.parse(mix[0]!.body) as MaternityRecord;
  const v2: MaternityRecord = { ...first, version: 2, contacts: first.contacts!.map((c) => ({ ...c, findings: [] })) };
  // A second family naming the first family's father (same NHS number, another trust's local id).
  const second = JSON.parse(mix[2]!.body) as MaternityRecord;
  const sharedFather: MaternityRecord = { ...second, recordId: `${second.recordId}-B`, organisation: { odsCode: 'RBD' },
    mother: { ...second.mother, nhsNumber: testNhsNumber(9101), localId: 'RBD-M' }, babies: [], contacts: [],
    partner: { ...first.partner!, localId: 'RBD-P' } };
  // Linked beforehand to one person by NHS number and local id; in the batch one message names each.
  const known = { localId: 'EMIS-Q', nhs: testNhsNumber(9102), family: 'QUINN', given: 'ALEX', birthDate: '19900101', sex: 'M', postcode: 'SO16 1AA' };
  const hl7 = (controlId: string, patient: Parameters<typeof adtPerson>[1]['patient']) =>
    ({ source: 'gp-hl7v2', contentType: ER7, body: adtPerson('A31', { controlId, at: '20261130100000', patient, practice: 'J82001' }) });
  return {
    before: [hl7('BQ-0', known)],
    batch: [...mix, { source: 'maternity', contentType: 'application/json', body: JSON.stringify(v2) },
      { source: 'maternity', contentType: 'application/json', body: JSON.stringify(sharedFather) },
      hl7('BQ-1', { ...known, localId: 'EMIS-Q2' }), hl7('BQ-2', { ...known, nhs: undefined, postcode: 'SO16 2BB' })],
  };
}

async function accept(h: Harness, list: readonly Message[]): Promise<Array<Job<MapJob>>> {
  const jobs: Array<Job<MapJob>> = [];
  for (const m of list) {
    const res = await h.request(`/ingest/${m.source}`, { method: 'POST', body: m.body, headers: { 'content-type': m.contentType } });
    expect(res.status, await res.clone().text()).toBe(202);
    const { messageId } = (await res.json()) as { messageId: string };
    jobs.push({ id: `map-${messageId}`, queue: 'map', data: { messageId, attempt: 0 }, attempt: 1, maxAttempts: 3 });
  }
  return jobs;
}

async function assessJobs(h: Harness): Promise<Array<Job<AssessJob>>> {
  return (await h.rt.work.pending('9999-01-01T00:00:00Z')).filter((w) => w.queue === 'assess')
    .map((w) => ({ id: `assess-${w.key}`, queue: 'assess', data: { familyKey: w.key, generation: w.generation }, attempt: 1, maxAttempts: 3 }));
}

async function state(h: Harness) {
  const q = async (sql: string) => (await h.rt.db.query(sql)).rows.map((r) => JSON.stringify(r));
  return {
    resources: await storeSnapshot(h.rt),
    links: await q('SELECT system, value, person_id, link_source, match_result, source_key FROM identity_link ORDER BY system, value'),
    edges: await q('SELECT family_key, person_id, role, source_key FROM family_member ORDER BY 1, 2, 3, 4'),
    reviews: await q('SELECT person_id, candidate_id, status FROM identity_review ORDER BY 1, 2'),
    work: await q('SELECT queue, key FROM work_item ORDER BY 1, 2'),
    messages: await q("SELECT status, business_key, business_version, outcome->'issue'->0->'details'->'coding'->0->>'code' AS code FROM inbound_message ORDER BY business_key, business_version, status"),
  };
}

describe('a batch leaves the store as one job at a time would', () => {
  let batched: Harness;
  let single: Harness;
  beforeAll(async () => {
    const open = () => startHarness('scaled', { workers: false, clock: () => NOW, config });
    [batched, single] = [await open(), await open()];
  });
  afterAll(async () => {
    await batched?.close();
    await single?.close();
  });

  it('maps and assesses the benchmark mix, two versions of a record and people shared across messages the same way', async () => {
    const { before, batch } = messages();
    for (const h of [batched, single]) for (const job of await accept(h, before)) await execMapJob(h.rt, job);

    const mapBatch = await accept(batched, batch);
    expect(await execMapBatch(batched.rt, mapBatch)).toEqual(mapBatch.map(() => undefined));
    for (const job of await accept(single, batch)) await execMapJob(single.rt, job);

    const families = await assessJobs(batched);
    expect(families.length).toBeGreaterThan(10);
    expect(await execAssessBatch(batched.rt, families)).toEqual(families.map(() => undefined));
    for (const job of await assessJobs(single)) await execAssessJob(single.rt, job);

    const [a, b] = [await state(batched), await state(single)];
    // What the batch had to get right: version 2 withdrew the bruise before any assessment
    // saw it; one person reached by NHS number in one message and by local id in another.
    const firstBaby = await patientIdOf(batched.rt, NHS_SYSTEM, (JSON.parse(messages().batch[0]!.body) as MaternityRecord).babies![0]!.nhsNumber!);
    const secondBaby = await patientIdOf(batched.rt, NHS_SYSTEM, (JSON.parse(messages().batch[2]!.body) as MaternityRecord).babies![0]!.nhsNumber!);
    const bruiseFlags = (baby: string | undefined) => a.resources.filter((r) => r.startsWith('Flag/') && r.includes(`"Patient/${baby}"`) && r.includes('bruising-non-mobile-infant'));
    expect(bruiseFlags(secondBaby)).toHaveLength(1);
    expect(bruiseFlags(firstBaby)).toEqual([]);
    expect(a.resources.filter((r) => r.startsWith('Patient/') && r.includes('EMIS-Q2') && r.includes('"EMIS-Q"'))).toHaveLength(1);
    expect(a.resources.some((r) => r.startsWith('Flag/'))).toBe(true);
    expect(a.work.some((w) => w.includes('deliver'))).toBe(true);
    expect(a.messages.filter((m) => m.includes('"received"'))).toEqual([]);
    expect(a).toEqual(b);
  });
});
