import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaternityRecord } from '../mappings/maternity/record.js';
import type { Bundle, Group, List, Patient } from '../src/fhir/types.js';
import { startHarness, type Harness, type Mode } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { adtPerson } from './support/hl7.js';
import { NHS_SYSTEM } from './support/records.js';

/** A maternity record whose partner is Mark Jones, with whatever identifiers the test gives him. */
function withPartner(o: { trust: string; recordId: string; motherNhs: string; partner: { nhsNumber?: string; localId?: string; birthDate: string }; postcode?: string; babyNhs?: string }): MaternityRecord {
  return {
    recordType: 'maternity-record', recordId: o.recordId, version: 1, updatedAt: '2026-10-01T10:00:00Z',
    organisation: { odsCode: o.trust },
    mother: { localId: `M-${o.recordId}`, nhsNumber: o.motherNhs, birthDate: '1997-03-03', name: { family: 'Smith', given: ['Jane'] }, address: { postcode: o.postcode ?? 'SO16 6YD' } },
    partner: { known: true, ...o.partner, name: { family: 'Jones', given: ['Mark'] }, relationshipToBaby: 'father', livesWithMother: true },
    ...(o.babyNhs ? { babies: [{ localId: 'B1', nhsNumber: o.babyNhs, birthDate: '2026-09-20T10:00:00Z', sex: 'female' as const }] } : {}),
  };
}

async function personsWith(h: Harness, value: string): Promise<string[]> {
  const { rows } = await h.rt.db.query<{ person_id: string }>('SELECT DISTINCT person_id FROM identity_link WHERE value = $1', [value]);
  return rows.map((r) => r.person_id);
}
async function partnersOf(h: Harness, motherNhs: string): Promise<string[]> {
  const { rows } = await h.rt.db.query<{ person_id: string }>(
    `SELECT m.person_id FROM family_member m JOIN identity_link l ON l.person_id = m.family_key WHERE l.value = $1 AND m.role = 'partner'`, [motherNhs]);
  return [...new Set(rows.map((r) => r.person_id))];
}

describe.each<Mode>(['scaled', 'embedded'])('identity and the family picture (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, { config: { recipients: [{ id: 'hv', kind: 'health-visiting', endpoint: { baseUrl: 'https://hv.identity.test/fhir' }, routing: { postcodePrefixes: ['ZZ99'] } }] } });
  });
  afterAll(() => h?.close());

  it('links a father known by NHS number under different local ids into one person in both families', async () => {
    const dad = testNhsNumber(70);
    await h.postRecord('maternity', withPartner({ trust: 'RHM', recordId: 'I-1', motherNhs: testNhsNumber(71), partner: { nhsNumber: dad, localId: 'RHM-P-1', birthDate: '1995-02-11' } }));
    await h.postRecord('maternity', withPartner({ trust: 'RBD', recordId: 'I-2', motherNhs: testNhsNumber(72), partner: { nhsNumber: dad, localId: 'RBD-777', birthDate: '1995-02-11' } }));
    await h.settle();
    const [person, ...others] = await personsWith(h, dad);
    expect(others).toEqual([]);
    expect(await personsWith(h, 'RHM-P-1')).toEqual([person]);
    expect(await personsWith(h, 'RBD-777')).toEqual([person]);
    expect(await partnersOf(h, testNhsNumber(71))).toEqual([person]);
    expect(await partnersOf(h, testNhsNumber(72))).toEqual([person]);
    const patient = (await (await h.request(`/fhir/Patient/${person}`)).json()) as Patient;
    expect(patient.identifier?.map((i) => i.value).sort()).toEqual([dad, 'RBD-777', 'RHM-P-1'].sort());
  });

  it('makes the father in a GP HL7 message and the partner in a maternity record one person, linked to the baby', async () => {
    const dad = testNhsNumber(91);
    const babyNhs = testNhsNumber(93);
    await h.postRecord('maternity', withPartner({ trust: 'RHM', recordId: 'I-GP', motherNhs: testNhsNumber(92), partner: { nhsNumber: dad, localId: 'RHM-P-GP', birthDate: '1994-04-04' }, babyNhs }));
    const hl7 = adtPerson('A28', { controlId: 'ID-GP-1', at: '20261001100000', patient: { localId: 'EMIS-777', nhs: dad, family: 'JONES', given: 'MARK', birthDate: '19940404', sex: 'M', postcode: 'SO16 6YD' }, practice: 'J82001' });
    const res = await h.request('/ingest/gp-hl7v2', { method: 'POST', body: hl7, headers: { 'content-type': 'x-application/hl7-v2+er7' } });
    expect(res.status).toBeLessThan(300);
    await h.settle();
    const [person, ...more] = await personsWith(h, dad);
    expect(more).toEqual([]);
    expect(await personsWith(h, 'RHM-P-GP')).toEqual([person]);
    expect(await personsWith(h, 'EMIS-777')).toEqual([person]);
    const baby = ((await (await h.request(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${babyNhs}`)}`)).json()) as Bundle).entry![0]!.resource!.id;
    const group = ((await (await h.request(`/fhir/Group?member=Patient/${baby}`)).json()) as Bundle).entry![0]!.resource as Group;
    const partner = group.member!.find((m) => m.extension!.some((e) => e.valueCoding?.code === 'partner'))!;
    expect(partner.entity.reference).toBe(`Patient/${person}`);
    const merged = (await (await h.request(`/fhir/Patient/${person}`)).json()) as Patient;
    expect(merged.generalPractitioner?.[0]?.identifier?.value).toBe('J82001');
  });

  it('matches the same father without an NHS number on name, birth date and postcode, explaining the score', async () => {
    await h.postRecord('maternity', withPartner({ trust: 'RHM', recordId: 'I-3', motherNhs: testNhsNumber(73), partner: { localId: 'RHM-P-3', birthDate: '1990-07-07' }, postcode: 'SO15 5AB' }));
    await h.settle();
    await h.postRecord('maternity', withPartner({ trust: 'RBD', recordId: 'I-4', motherNhs: testNhsNumber(74), partner: { nhsNumber: testNhsNumber(75), localId: 'RBD-P-4', birthDate: '1990-07-07' }, postcode: 'SO15 5AB' }));
    await h.settle();
    const [person] = await personsWith(h, 'RHM-P-3');
    expect(await personsWith(h, testNhsNumber(75))).toEqual([person]);
    const { rows } = await h.rt.db.query<{ score: number; match_result: string }>('SELECT score, match_result FROM identity_link WHERE value = $1', [testNhsNumber(75)]);
    expect(rows[0]).toEqual({ score: 17, match_result: 'MATCH' });
    const show = (await (await h.request(`/admin/identity/persons/${person}`)).json()) as { identifiers: Array<{ value: string; score: number | null }> };
    expect(show.identifiers.find((i) => i.value === testNhsNumber(75))?.score).toBe(17);
  });

  it('keeps two different men with the same name born the same year apart, and puts a near match on the review list', async () => {
    await h.postRecord('maternity', withPartner({ trust: 'RHM', recordId: 'I-5', motherNhs: testNhsNumber(76), partner: { localId: 'RHM-P-5', birthDate: '1988-01-20' }, postcode: 'PO1 2EF' }));
    await h.settle();
    // Same name, same year, different birth date, elsewhere: a different man.
    await h.postRecord('maternity', withPartner({ trust: 'RBD', recordId: 'I-6', motherNhs: testNhsNumber(77), partner: { localId: 'RBD-P-6', birthDate: '1988-09-02' }, postcode: 'BH1 1AA' }));
    // Same name and birth date, but moved and a typo: a possible match for review.
    const near = withPartner({ trust: 'RBD', recordId: 'I-7', motherNhs: testNhsNumber(78), partner: { localId: 'RBD-P-7', birthDate: '1988-01-20' }, postcode: 'BH1 1AA' });
    near.partner!.name = { family: 'Jnoes', given: ['Mark'] };
    await h.postRecord('maternity', near);
    await h.settle();
    const [p5] = await personsWith(h, 'RHM-P-5');
    const [p6] = await personsWith(h, 'RBD-P-6');
    const [p7] = await personsWith(h, 'RBD-P-7');
    expect(new Set([p5, p6, p7]).size).toBe(3);
    const { reviews } = (await (await h.request('/admin/identity/reviews')).json()) as { reviews: Array<{ id: string; personId: string; candidateId: string; summary: string }> };
    const review = reviews.find((r) => r.personId === p7 && r.candidateId === p5)!;
    expect(review.summary).toMatch(/^POSSIBLE_MATCH 12.5 \(match ≥ 14.5, review ≥ 9\): family similar \(Jaro-Winkler 0.\d+\) \+3; given same \+3.5; birthDate same \+6; postcode different \(people move: no penalty\) \+0$/);
    expect(reviews.some((r) => [r.personId, r.candidateId].includes(p6!))).toBe(false);

    // The operator decides they are the same man: one person from now on, surviving replay.
    const decided = await h.request(`/admin/identity/reviews/${review.id}`, { method: 'POST', body: JSON.stringify({ decision: 'match', reason: 'confirmed by phone' }), headers: { 'content-type': 'application/json' } });
    expect(decided.status).toBe(200);
    await h.settle();
    expect(await personsWith(h, 'RBD-P-7')).toEqual([p5]);
    expect(await partnersOf(h, testNhsNumber(78))).toEqual([p5]);
    const merged = (await (await h.request(`/fhir/Patient/${p7}`)).json()) as Patient;
    expect(merged.active).toBe(false);
    expect(merged.link?.find((l) => l.type === 'replaced-by')?.other).toEqual({ reference: `Patient/${p5}` });
    await h.request('/admin/replay?status=processed', { method: 'POST' });
    await h.settle();
    expect(await personsWith(h, 'RBD-P-7')).toEqual([p5]);
  });

  it('undoes a merge: identifiers and facts return, and the two are never matched again', async () => {
    await h.postRecord('maternity', withPartner({ trust: 'RHM', recordId: 'I-8', motherNhs: testNhsNumber(79), partner: { localId: 'RHM-P-8', birthDate: '1980-05-05' }, postcode: 'SP1 3JL' }));
    await h.postRecord('maternity', withPartner({ trust: 'RBD', recordId: 'I-9', motherNhs: testNhsNumber(80), partner: { localId: 'RBD-P-9', birthDate: '1981-06-06' }, postcode: 'SN1 1DD' }));
    await h.settle();
    const [a] = await personsWith(h, 'RHM-P-8');
    const [b] = await personsWith(h, 'RBD-P-9');
    const merge = await h.request('/admin/identity/merge', { method: 'POST', body: JSON.stringify({ survivor: a, merged: b, reason: 'wrongly thought the same' }), headers: { 'content-type': 'application/json' } });
    const { mergeId } = (await merge.json()) as { mergeId: string };
    await h.settle();
    expect(await partnersOf(h, testNhsNumber(80))).toEqual([a]);
    expect((await h.request(`/admin/identity/merges/${mergeId}/unmerge`, { method: 'POST' })).status).toBe(202);
    await h.settle();
    expect(await personsWith(h, 'RBD-P-9')).toEqual([b]);
    expect(await partnersOf(h, testNhsNumber(80))).toEqual([b]);
    expect(await partnersOf(h, testNhsNumber(79))).toEqual([a]);
    const restored = (await (await h.request(`/fhir/Patient/${b}`)).json()) as Patient;
    expect(restored.active).toBeUndefined();
    const history = (await (await h.request(`/admin/identity/persons/${a}`)).json()) as { merges: Array<{ id: string; unmergedAt: string | null }> };
    expect(history.merges.find((m) => m.id === mergeId)?.unmergedAt).toBeTruthy();
    const { rows } = await h.rt.db.query('SELECT 1 FROM identity_nonmatch WHERE (person_a, person_b) IN (($1, $2), ($2, $1))', [a, b]);
    expect(rows).toHaveLength(1);
  });

  it('re-assesses every family a person belongs to when that person changes', async () => {
    const dad = testNhsNumber(81);
    const r1 = withPartner({ trust: 'RHM', recordId: 'I-10', motherNhs: testNhsNumber(82), partner: { nhsNumber: dad, localId: 'RHM-P-10', birthDate: '1992-02-02' } });
    await h.postRecord('maternity', r1);
    await h.postRecord('maternity', withPartner({ trust: 'RBD', recordId: 'I-11', motherNhs: testNhsNumber(83), partner: { nhsNumber: dad, localId: 'RBD-P-11', birthDate: '1992-02-02' } }));
    await h.settle();
    const assessed: string[] = [];
    const add = h.rt.queue.add.bind(h.rt.queue);
    h.rt.queue.add = (async (queue: never, jobs: never[]) => {
      if (queue === 'assess') assessed.push(...jobs.map((j: { familyKey: string }) => j.familyKey));
      return add(queue, jobs);
    }) as typeof h.rt.queue.add;
    // Maternity records a conviction for him in the first family: both families must be re-assessed.
    await h.postRecord('maternity', { ...r1, version: 2, socialFactors: [{ factor: 'previous-convictions', subject: 'partner', status: 'current', recordedAt: '2026-10-02' }] });
    await h.settle();
    h.rt.queue.add = add;
    const families = (await h.rt.db.query<{ family_key: string }>('SELECT DISTINCT family_key FROM family_member WHERE person_id = (SELECT person_id FROM identity_link WHERE value = $1)', [dad])).rows.map((r) => r.family_key);
    expect(families).toHaveLength(2);
    expect([...new Set(assessed)].sort()).toEqual(expect.arrayContaining(families.sort()));
  });

  it('exposes the family as a Group with roles, sources and dates, and a chronology across agencies', async () => {
    const baby = testNhsNumber(84);
    const record = withPartner({ trust: 'RHM', recordId: 'I-12', motherNhs: testNhsNumber(85), partner: { nhsNumber: testNhsNumber(86), birthDate: '1993-03-03' }, babyNhs: baby });
    record.householdMembers = [{ localId: 'HH-1', relationshipToMother: 'child', name: { family: 'Smith', given: ['Amy'] }, birthDate: '2024-01-01' },
      { localId: 'HH-2', relationshipToMother: 'lodger', identified: false }];
    record.contacts = [{ contactId: 'C1', type: 'postnatal', date: '2026-09-25T10:00:00Z', subject: 'baby:B1', attended: true, findings: [{ subject: 'baby:B1', kind: 'bruise', bodySite: 'ear' }] }];
    await h.postRecord('maternity', record);
    await h.settle();
    const babyId = ((await (await h.request(`/fhir/Patient?identifier=${encodeURIComponent(`${NHS_SYSTEM}|${baby}`)}`)).json()) as Bundle).entry![0]!.resource!.id;
    const groups = (await (await h.request(`/fhir/Group?member=Patient/${babyId}`)).json()) as Bundle;
    expect(groups.total).toBe(1);
    const group = groups.entry![0]!.resource as Group;
    const roles = group.member!.map((m) => m.extension!.find((e) => e.url.endsWith('family-role'))!.valueCoding!.code).sort();
    expect(roles).toEqual(['infant', 'mother', 'partner', 'sibling', 'unidentified-adult']);
    const edge = group.member!.find((m) => m.entity.reference === `Patient/${babyId}`)!;
    expect(edge.period?.start).toBeDefined();
    expect(edge.extension!.find((e) => e.url.endsWith('edge-source'))!.valueString).toBe('maternity|RHM|I-12');
    const list = (await (await h.request(`/fhir/Patient/${babyId}/$chronology`)).json()) as List;
    const lines = list.entry!.map((e) => `${e.date!.slice(0, 10)} ${e.item.display}`);
    expect(lines).toContain('2024-01-01 Maternity: Birth (sibling, 2 years)');
    expect(lines).toContain('2026-09-25 Maternity: Postnatal contact attended (infant)');
    expect(lines.some((l) => /^2026-09-25 Maternity: Bruise on ear \(infant\)$/.test(l))).toBe(true);
    expect(lines.some((l) => /Cradle: Alert raised: Bruise or injury/.test(l))).toBe(true);
    expect(list.entry!.map((e) => e.date)).toEqual([...list.entry!.map((e) => e.date)].sort((a, b) => Date.parse(a!) - Date.parse(b!)));
  });
});
