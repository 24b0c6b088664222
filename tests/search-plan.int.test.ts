import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSearch } from '../src/fhir/search-query.js';
import type { AnyResource } from '../src/fhir/types.js';
import type { Db } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { dropSchema, openPostgres } from '../src/store/postgres.js';
import { ResourceStore } from '../src/store/resource-store.js';
import { searchStatements, type ReadScope } from '../src/store/search.js';
import { TEST_DATABASE_URL, uniqueName } from './support/services.js';

/**
 * The read API must stay an index lookup however large the store grows: a clinician's EHR
 * asks `Flag?patient=…` for every record it opens. Each search below runs against 300
 * patients' Observations and is asked of PostgreSQL's own plan how many `resource` rows it
 * read. A correlated criterion read every resource of the type, once per row (it did, until
 * bench/README.md "Profile findings" 17).
 */
const PATIENTS = 300;
const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

function resources(): AnyResource[] {
  return Array.from({ length: PATIENTS }, (_, i) => [
    { resourceType: 'Patient', id: `p${i}`, identifier: [{ system: NHS, value: `99900${String(i).padStart(5, '0')}` }] },
    ...[0, 1, 2].map((k) => ({
      resourceType: 'Observation', id: `o${i}-${k}`, status: k === 0 ? 'final' : 'amended',
      code: { coding: [{ system: 'http://snomed.info/sct', code: k === 2 ? '125667009' : '364075005' }] }, subject: { reference: `Patient/p${i}` },
    })),
  ] as AnyResource[]).flat();
}

interface PlanNode { 'Relation Name'?: string; 'Actual Rows'?: number; 'Actual Loops'?: number; 'Parent Relationship'?: string; Plans?: PlanNode[] }

function walk(node: PlanNode, visit: (n: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

describe('FHIR search reads through the index, whatever the store holds', () => {
  let db: Db;
  const schema = uniqueName('plan');
  beforeAll(async () => {
    db = await openPostgres({ url: TEST_DATABASE_URL, schema, poolSize: 1 });
    await migrate(db);
    await db.transaction((tx) => new ResourceStore(db).putMany(tx, resources(), { sourceKey: null, now: '2026-12-01T00:00:00Z' }));
    await db.query('ANALYZE');
  });
  afterAll(async () => {
    await db?.close();
    await dropSchema(TEST_DATABASE_URL, schema);
  });

  async function resourceRowsRead(search: string, scope: ReadScope = { all: true }): Promise<{ read: number; subplans: number; matches: number }> {
    const [type, qs] = search.split('?') as [string, string];
    const { page } = searchStatements(parseSearch(type, new URLSearchParams(qs)), scope);
    const { rows } = await db.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${page.sql}`, page.params);
    const plan = rows[0]!['QUERY PLAN'][0]!.Plan;
    let read = 0;
    let subplans = 0;
    walk(plan, (n) => {
      if (n['Relation Name'] === 'resource') read += (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1);
      if (n['Parent Relationship'] === 'SubPlan') subplans++;
    });
    return { read, subplans, matches: (await db.query(page.sql, page.params)).rows.length };
  }

  it.each([
    ['Observation?patient=Patient/p17', 3],
    ['Observation?subject=Patient/p17&status=amended', 2],
    ['Observation?patient.identifier=https://fhir.nhs.uk/Id/nhs-number|9990000017', 3],
    ['Observation?patient=Patient/p17&code=http://snomed.info/sct|125667009', 1],
    ['Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000017', 1],
  ])('%s reads a handful of the 900 Observations, not all of them', async (search, expected) => {
    const { read, subplans, matches } = await resourceRowsRead(search);
    expect(matches).toBe(expected);
    expect(subplans).toBe(0);
    expect(read).toBeLessThanOrEqual(10);
  });

  it('stays an index lookup for a recipient that may read only some patients', async () => {
    const { read, matches } = await resourceRowsRead('Observation?patient=Patient/p17', { all: false, patientIds: ['p17', 'p18'] });
    expect(matches).toBe(3);
    expect(read).toBeLessThanOrEqual(10);
  });
});
