import type { Criterion, SearchQuery } from '../fhir/search-query.js';
import type { AnyResource } from '../fhir/types.js';
import type { Sql } from './db.js';

/** Which resources a caller may see: everything (admin), or only what concerns these patients. */
export type ReadScope = { all: true } | { all: false; patientIds: readonly string[] };

export interface SearchResult {
  total: number;
  matches: AnyResource[];
  included: AnyResource[];
}

/**
 * Runs a parsed FHIR search against the index tables. Scoping is part of the SQL, so a
 * scoped caller's totals, pages and `_include`s never count or return what it may not see.
 */
export async function executeSearch(sql: Sql, query: SearchQuery, scope: ReadScope): Promise<SearchResult> {
  const { count, page } = searchStatements(query, scope);
  const total = await sql.query<{ n: number }>(count.sql, count.params);
  const rows = await sql.query<{ content: AnyResource }>(page.sql, page.params);
  const matches = rows.rows.map((r) => r.content);
  return { total: total.rows[0]?.n ?? 0, matches, included: await includes(sql, query, matches, scope) };
}

interface Statement { sql: string; params: unknown[] }

/** The SQL of a search: the count, and the page. */
export function searchStatements(query: SearchQuery, scope: ReadScope): { count: Statement; page: Statement } {
  const params: unknown[] = [query.type];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['r.res_type = $1', 'NOT r.deleted', ...query.criteria.map((c) => criterionSql(c, p)), scopeSql(scope, p)];
  const whereSql = where.filter(Boolean).join(' AND ');
  const count = { sql: `SELECT count(*)::int AS n FROM resource r WHERE ${whereSql}`, params: [...params] };
  const page = `SELECT r.content FROM resource r WHERE ${whereSql}
     ORDER BY r.last_updated ${query.sort === 'asc' ? 'ASC' : 'DESC'}, r.id LIMIT ${p(query.count)} OFFSET ${p(query.offset)}`;
  return { count, page: { sql: page, params } };
}

/** True when a scoped caller may see this resource. */
export async function inScope(sql: Sql, type: string, id: string, scope: ReadScope): Promise<boolean> {
  if (scope.all) return true;
  const params: unknown[] = [type, id];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const { rows } = await sql.query(`SELECT 1 FROM resource r WHERE r.res_type = $1 AND r.id = $2 AND ${scopeSql(scope, p)}`, params);
  return rows.length > 0;
}

/**
 * One criterion as an uncorrelated `IN`: the index rows are of the searched type ($1), not
 * `r.res_type`. PostgreSQL turns an uncorrelated IN into a join that starts from the index
 * (the token's code, the reference's target); a correlated one stays a subplan run once for
 * every resource of the type, so `Flag?patient=…` read every Flag in the store (bench/README.md,
 * "Profile findings").
 */
function criterionSql(c: Criterion, p: (v: unknown) => string): string {
  switch (c.kind) {
    case 'id':
      return `r.id = ANY(${p(c.ids)}::text[])`;
    case 'token':
      return `r.id IN (SELECT t.id FROM search_token t WHERE t.res_type = $1 AND t.param = ${p(c.param)} AND (${tokenOr(c, p, 't')}))`;
    case 'reference':
      return `r.id IN (SELECT s.id FROM search_reference s WHERE s.res_type = $1 AND s.param = ${p(c.param)} AND s.target = ANY(${p(c.targets)}::text[]))`;
    case 'chain':
      return `r.id IN (SELECT s.id FROM search_reference s WHERE s.res_type = $1 AND s.param = ${p(c.param)} AND s.target IN (
        SELECT ${p(`${c.targetType}/`)} || t.id FROM search_token t WHERE t.res_type = ${p(c.targetType)} AND t.param = ${p(c.target.param)}
          AND (${tokenOr(c.target, p, 't')})))`;
  }
}

function tokenOr(c: Extract<Criterion, { kind: 'token' }>, p: (v: unknown) => string, t: string): string {
  return c.values.map((v) => {
    const parts: string[] = [];
    if (v.code !== undefined) parts.push(`${t}.code = ${p(v.code)}`);
    if (v.system !== undefined) parts.push(`${t}.system = ${p(v.system)}`);
    return `(${parts.join(' AND ')})`;
  }).join(' OR ');
}

function scopeSql(scope: ReadScope, p: (v: unknown) => string): string {
  if (scope.all) return '';
  const ids = p([...scope.patientIds]);
  const refs = p(scope.patientIds.map((id) => `Patient/${id}`));
  return `((r.res_type = 'Patient' AND r.id = ANY(${ids}::text[])) OR (r.res_type NOT IN ('AuditEvent', 'Provenance') AND EXISTS (
    SELECT 1 FROM search_reference s WHERE s.res_type = r.res_type AND s.id = r.id AND s.param = 'patient' AND s.target = ANY(${refs}::text[]))))`;
}

async function includes(sql: Sql, query: SearchQuery, matches: AnyResource[], scope: ReadScope): Promise<AnyResource[]> {
  if (query.include.length === 0 || matches.length === 0) return [];
  const params: unknown[] = [query.type, matches.map((m) => m.id!), query.include.map((i) => i.param)];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const scoped = scopeSql(scope, p);
  const { rows } = await sql.query<{ content: AnyResource }>(
    `SELECT DISTINCT r.content, r.res_type, r.id FROM search_reference s
     JOIN resource r ON (r.res_type || '/' || r.id) = s.target AND NOT r.deleted
     WHERE s.res_type = $1 AND s.id = ANY($2::text[]) AND s.param = ANY($3::text[]) ${scoped ? `AND ${scoped}` : ''}
     ORDER BY r.res_type, r.id`, params);
  return rows.map((r) => r.content);
}
