import { SYSTEM } from '../fhir/canonical.js';
import type { Demographics } from '../identity/demographics.js';
import { soundex } from '../identity/demographics.js';
import type { Sql } from './db.js';

export interface Candidate {
  personId: string;
  demographics: Demographics;
}

export interface CandidateQuery {
  demographics: Demographics;
  /** Persons never to return (the source's own people, those already resolved). */
  exclude: readonly string[];
  /** The most to return (50 unless said). */
  limit?: number;
}

/** People kept from one block: enough for any real namesake, few enough that matching stays cheap. */
export const BLOCK_LIMIT = 50;

/**
 * Blocking, for several people in one statement: for each query, the people who share the
 * birth date (or its transposition), or the surname sound and birth year, or the swapped
 * names, or the surname sound and postcode. Bounded, so matching stays cheap however large
 * the population: each block is read through its index (the birth year is a date range so
 * the (family_code, birth_date) index serves it), the `limit` people agreeing on most of birth
 * date, surname sound, given name sound and postcode are kept, and only their identifiers
 * are read. Ordering by person id instead let the planner walk the primary key through the
 * whole table looking for 50 matches, so each search cost more as the population grew
 * (bench/README.md, "Profile findings"). Returns, per query in order, its candidates, most
 * agreeing first (then by person id).
 */
export async function candidatesMany(tx: Sql, queries: readonly CandidateQuery[]): Promise<Candidate[][]> {
  const out: Candidate[][] = queries.map(() => []);
  // Without a birth date, a surname and postcode are the least a block needs.
  const params = queries.map((q, i) => ({ i, q }))
    .filter(({ q }) => q.demographics.birthDate || (q.demographics.family && q.demographics.postcode))
    .map(({ q, i }) => ({ i, ...blockOf(q.demographics), exclude: [...q.exclude], lim: q.limit ?? BLOCK_LIMIT }));
  if (params.length === 0) return out;
  const { rows } = await tx.query<DemoRow & { i: number }>(
    `WITH q AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS q(i int, exclude text[], birth date, transposed date, family_code text,
       year int, given_code text, postcode text, lim int))
     SELECT q.i, c.person_id, c.family, c.given, to_char(c.birth_date, 'YYYY-MM-DD') AS birth_date, c.sex, c.postcode, c.nhs_number,
       c.identifier_systems, (SELECT array_agg(l.system || '|' || l.value) FROM identity_link l WHERE l.person_id = c.person_id) AS identifiers
     FROM q CROSS JOIN LATERAL (
       SELECT d.person_id, d.family, d.given, d.birth_date, d.sex, d.postcode, d.nhs_number, d.identifier_systems,
         COALESCE((d.birth_date = q.birth)::int, 0) + COALESCE((d.family_code = q.family_code)::int, 0)
           + COALESCE((d.given_code = q.given_code)::int, 0) + COALESCE((d.postcode = q.postcode)::int, 0) AS agreement
       FROM person_demographics d
       WHERE NOT (d.person_id = ANY(q.exclude)) AND (
         d.birth_date = q.birth OR d.birth_date = q.transposed
         OR (d.family_code = q.family_code AND d.birth_date >= make_date(q.year, 1, 1) AND d.birth_date < make_date(q.year + 1, 1, 1))
         OR (d.family_code = q.given_code AND d.given_code = q.family_code AND d.birth_date >= make_date(q.year, 1, 1) AND d.birth_date < make_date(q.year + 1, 1, 1))
         OR (d.family_code = q.family_code AND d.postcode = q.postcode))
       ORDER BY agreement DESC, d.person_id
       LIMIT q.lim) c
     ORDER BY q.i, c.agreement DESC, c.person_id`, [JSON.stringify(params)]);
  for (const r of rows) out[r.i]!.push(toCandidate(r));
  return out;
}

/** The block keys of one person's demographics. */
function blockOf(d: Demographics) {
  const [y, m, day] = (d.birthDate ?? '--').split('-');
  return {
    birth: d.birthDate ?? null,
    transposed: d.birthDate && Number(day) <= 12 ? `${y}-${day}-${m}` : null,
    family_code: soundex(d.family) ?? null,
    year: d.birthDate ? Number(d.birthDate.slice(0, 4)) : null,
    given_code: soundex(d.given) ?? null,
    postcode: d.postcode ?? null,
  };
}

/** Of these (person, candidate) pairs, those an operator decided are different people, as `a|b` with a < b. */
export async function nonMatchesAmong(tx: Sql, pairs: ReadonlyArray<readonly [string, string]>): Promise<Set<string>> {
  const sorted = [...new Map(pairs.map(([a, b]) => { const [x, y] = [a, b].sort() as [string, string]; return [`${x}|${y}`, [x, y]] as const; })).values()];
  if (sorted.length === 0) return new Set();
  const { rows } = await tx.query<{ person_a: string; person_b: string }>(
    `SELECT n.person_a, n.person_b FROM identity_nonmatch n JOIN unnest($1::text[], $2::text[]) AS k(a, b) ON n.person_a = k.a AND n.person_b = k.b`,
    [sorted.map((p) => p[0]), sorted.map((p) => p[1])]);
  return new Set(rows.map((r) => `${r.person_a}|${r.person_b}`));
}

/** Unborn children linked under each of these mothers' NHS numbers, with their expected dates. */
export async function unbornOfMothers(tx: Sql, motherNhs: readonly string[]): Promise<Map<string, Array<{ personId: string; edd: string }>>> {
  const out = new Map<string, Array<{ personId: string; edd: string }>>([...new Set(motherNhs)].map((n) => [n, []]));
  if (out.size === 0) return out;
  const { rows } = await tx.query<{ person_id: string; value: string }>(
    `SELECT l.person_id, l.value FROM identity_link l JOIN unnest($2::text[]) AS m(nhs) ON l.value LIKE m.nhs || '|%'
     WHERE l.system = $1 ORDER BY l.value, l.person_id`, [SYSTEM.unbornChild, [...out.keys()]]);
  for (const r of rows) {
    const [nhs, edd] = r.value.split('|') as [string, string];
    out.get(nhs)?.push({ personId: r.person_id, edd });
  }
  return out;
}

interface DemoRow {
  person_id: string; family: string | null; given: string | null; birth_date: string | null; sex: string | null;
  postcode: string | null; nhs_number: string | null; identifier_systems: string[] | null; identifiers: string[] | null;
}

function toCandidate(r: DemoRow): Candidate {
  return {
    personId: r.person_id,
    demographics: {
      ...(r.family ? { family: r.family } : {}), ...(r.given ? { given: r.given } : {}),
      ...(r.birth_date ? { birthDate: r.birth_date } : {}), ...(r.sex ? { sex: r.sex } : {}),
      ...(r.postcode ? { postcode: r.postcode } : {}), ...(r.nhs_number ? { nhsNumber: r.nhs_number } : {}),
      identifierSystems: r.identifier_systems ?? [], identifiers: r.identifiers ?? [],
    },
  };
}
