import type { Db, Sql } from './db.js';

export type FamilyRole = 'mother' | 'child' | 'partner' | 'household-adult' | 'household-other';

export interface FamilyMember {
  familyKey: string;
  personId: string;
  role: FamilyRole;
}

/** A family edge as a source asserted it, and when. */
export interface FamilyEdge extends FamilyMember {
  sourceKey: string;
  since: string | null;
}

/** Family membership as each source record states it. */
export class FamilyStore {
  constructor(private readonly db: Db) {}

  /**
   * Replaces what `sourceKey` says about family membership. Returns the families whose
   * membership changed (someone joined or left), so each can be re-assessed.
   */
  async replaceSource(tx: Sql, sourceKey: string, members: readonly FamilyMember[], since: string): Promise<string[]> {
    return this.replaceSources(tx, [{ sourceKey, members, since }]);
  }

  /** {@link replaceSource} for several source records (distinct keys) in two statements. */
  async replaceSources(tx: Sql, sources: ReadonlyArray<{ sourceKey: string; members: readonly FamilyMember[]; since: string }>): Promise<string[]> {
    if (sources.length === 0) return [];
    const key = (sourceKey: string, m: { familyKey: string; personId: string; role: string }) => `${sourceKey}|${m.familyKey}|${m.personId}|${m.role}`;
    const removed = await tx.query<{ source_key: string; family_key: string; person_id: string; role: string; since: string | null }>(
      'DELETE FROM family_member WHERE source_key = ANY($1::text[]) RETURNING source_key, family_key, person_id, role, since', [sources.map((x) => x.sourceKey)]);
    const before = new Map(removed.rows.map((r) => [key(r.source_key, { familyKey: r.family_key, personId: r.person_id, role: r.role }), r]));
    const after = new Map(sources.flatMap((x) => x.members.map((m) => [key(x.sourceKey, m), { ...m, sourceKey: x.sourceKey, since: x.since }] as const)));
    if (after.size > 0) {
      const list = [...after.entries()];
      // An edge keeps the date its source first asserted it.
      await tx.query(
        `INSERT INTO family_member (family_key, person_id, role, source_key, since)
         SELECT f, p, r, k, s FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS x(f, p, r, k, s)`,
        [list.map(([, m]) => m.familyKey), list.map(([, m]) => m.personId), list.map(([, m]) => m.role), list.map(([, m]) => m.sourceKey),
          list.map(([k, m]) => before.get(k)?.since ?? m.since)]);
    }
    const changed = new Set<string>();
    for (const [k, row] of before) if (!after.has(k)) changed.add(row.family_key);
    for (const [k, m] of after) if (!before.has(k)) changed.add(m.familyKey);
    return [...changed];
  }

  /** Families any of these people belong to. */
  async familiesOf(personIds: readonly string[], sql: Sql = this.db): Promise<string[]> {
    if (personIds.length === 0) return [];
    const { rows } = await sql.query<{ family_key: string }>(
      'SELECT DISTINCT family_key FROM family_member WHERE person_id = ANY($1::text[])', [[...personIds]]);
    return rows.map((r) => r.family_key);
  }

  /** Every edge of a family, with its source and the date it was first asserted. */
  async edges(familyKey: string, sql: Sql = this.db): Promise<FamilyEdge[]> {
    return (await this.edgesOf([familyKey], sql)).get(familyKey) ?? [];
  }

  /** {@link edges} of several families in one statement; a family with no edges maps to []. */
  async edgesOf(familyKeys: readonly string[], sql: Sql = this.db): Promise<Map<string, FamilyEdge[]>> {
    const out = new Map<string, FamilyEdge[]>(familyKeys.map((k) => [k, []]));
    if (familyKeys.length === 0) return out;
    const { rows } = await sql.query<{ family_key: string; person_id: string; role: FamilyRole; source_key: string; since: string | null }>(
      `SELECT family_key, person_id, role, source_key, since FROM family_member WHERE family_key = ANY($1::text[])
       ORDER BY family_key, since NULLS LAST, role, person_id, source_key`, [[...out.keys()]]);
    for (const r of rows) out.get(r.family_key)!.push({ familyKey: r.family_key, personId: r.person_id, role: r.role, sourceKey: r.source_key, since: r.since });
    return out;
  }

  async members(familyKey: string, sql: Sql = this.db): Promise<FamilyMember[]> {
    const { rows } = await sql.query<{ person_id: string; role: FamilyRole }>(
      'SELECT DISTINCT person_id, role FROM family_member WHERE family_key = $1 ORDER BY role, person_id', [familyKey]);
    return rows.map((r) => ({ familyKey, personId: r.person_id, role: r.role }));
  }
}
