import { SYSTEM } from '../fhir/canonical.js';
import type { Patient } from '../fhir/types.js';
import type { Demographics } from '../identity/demographics.js';
import { soundex } from '../identity/demographics.js';
import type { MatchScore } from '../identity/match-score.js';
import type { Sql } from './db.js';
import { type Candidate, candidatesMany, unbornOfMothers } from './identity-candidates.js';

export type { Candidate } from './identity-candidates.js';

export interface IdentifierKey {
  system: string;
  value: string;
}

export interface Contribution {
  sourceKey: string;
  content: Patient;
  updatedAt: string;
}

export interface LinkRow {
  personId: string;
  linkSource: 'AUTO' | 'MANUAL';
}

export interface Review {
  id: string;
  personId: string;
  candidateId: string;
  score: number;
  explanation: MatchScore;
  status: 'open' | 'matched' | 'not-matched' | 'superseded';
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  reason: string | null;
}

export interface MergeRecord {
  id: string;
  survivorId: string;
  mergedId: string;
  identifiers: IdentifierKey[];
  sourceKeys: string[];
  reason: string;
  decidedBy: string;
  mergedAt: string;
  unmergedAt: string | null;
}

const key = (i: IdentifierKey) => `${i.system}|${i.value}`;

/**
 * Identity tables: which person each business identifier belongs to (and how that was
 * decided), what each source says about each person, possible matches awaiting review,
 * operators' "not the same person" decisions, and the merge history. All calls run in the
 * caller's transaction.
 */
export class IdentityStore {
  async lookup(tx: Sql, ids: readonly IdentifierKey[]): Promise<Map<string, LinkRow>> {
    if (ids.length === 0) return new Map();
    const { rows } = await tx.query<{ system: string; value: string; person_id: string; link_source: 'AUTO' | 'MANUAL' }>(
      `SELECT l.system, l.value, l.person_id, l.link_source FROM identity_link l
       JOIN unnest($1::text[], $2::text[]) AS k(s, v) ON l.system = k.s AND l.value = k.v`,
      [ids.map((i) => i.system), ids.map((i) => i.value)]);
    return new Map(rows.map((r) => [`${r.system}|${r.value}`, { personId: r.person_id, linkSource: r.link_source }]));
  }

  /**
   * Points identifiers at a person. An automatic link never moves an identifier an operator
   * linked by hand: manual decisions win and survive re-processing.
   */
  async link(tx: Sql, ids: readonly IdentifierKey[], personId: string, opts: { sourceKey: string; now: string; result?: string; score?: number; manual?: boolean }): Promise<void> {
    await this.linkMany(tx, [{ ids, personId, ...(opts.score === undefined ? {} : { score: opts.score }) }], opts);
  }

  /**
   * {@link link} for several people in one statement; an identifier named twice goes to the
   * last. A group may name its own source record (a batch of messages); else `opts.sourceKey`.
   */
  async linkMany(tx: Sql, groups: ReadonlyArray<{ ids: readonly IdentifierKey[]; personId: string; score?: number; sourceKey?: string }>,
    opts: { sourceKey: string; now: string; result?: string; manual?: boolean }): Promise<void> {
    const rows = new Map<string, { id: IdentifierKey; personId: string; score: number | null; sourceKey: string }>();
    for (const g of groups) for (const id of g.ids) rows.set(key(id), { id, personId: g.personId, score: g.score ?? null, sourceKey: g.sourceKey ?? opts.sourceKey });
    if (rows.size === 0) return;
    // In key order, the order concurrent writers lock the rows in.
    const all = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    await tx.query(
      `INSERT INTO identity_link (system, value, person_id, source_key, created_at, match_result, link_source, score)
       SELECT s, v, p, src, $4, $5, $6, sc FROM unnest($1::text[], $2::text[], $3::text[], $7::real[], $8::text[]) AS x(s, v, p, sc, src)
       ON CONFLICT (system, value) DO UPDATE SET person_id = excluded.person_id, match_result = excluded.match_result,
         link_source = excluded.link_source, score = excluded.score
       WHERE identity_link.link_source <> 'MANUAL' OR excluded.link_source = 'MANUAL'`,
      [all.map((r) => r.id.system), all.map((r) => r.id.value), all.map((r) => r.personId), opts.now,
        opts.manual ? 'MANUAL' : (opts.result ?? 'MATCH'), opts.manual ? 'MANUAL' : 'AUTO', all.map((r) => r.score), all.map((r) => r.sourceKey)]);
  }

  async identifiersOf(tx: Sql, personId: string): Promise<IdentifierKey[]> {
    const { rows } = await tx.query<IdentifierKey>('SELECT system, value FROM identity_link WHERE person_id = $1 ORDER BY system, value', [personId]);
    return rows;
  }

  async setContribution(tx: Sql, personId: string, c: Contribution): Promise<void> {
    await this.setContributions(tx, [{ personId, ...c }]);
  }

  /** Several people's contributions in one statement (one per person). */
  async setContributions(tx: Sql, entries: ReadonlyArray<Contribution & { personId: string }>): Promise<void> {
    if (entries.length === 0) return;
    await tx.query(
      `INSERT INTO person_contribution (person_id, source_key, content, updated_at)
       SELECT x.person_id, x.source_key, x.content, x.updated_at FROM jsonb_to_recordset($1::jsonb)
         AS x(person_id text, source_key text, content jsonb, updated_at timestamptz)
       ON CONFLICT (person_id, source_key) DO UPDATE SET content = excluded.content, updated_at = excluded.updated_at`,
      [JSON.stringify(entries.map((e) => ({ person_id: e.personId, source_key: e.sourceKey, content: e.content, updated_at: e.updatedAt })))]);
  }

  /** Removes a source's contributions to people it no longer mentions; returns those people. */
  async dropContributions(tx: Sql, sourceKey: string, keepPersonIds: readonly string[]): Promise<string[]> {
    return (await this.dropContributionsMany(tx, [{ sourceKey, keep: keepPersonIds }])).get(sourceKey) ?? [];
  }

  /** {@link dropContributions} for several source records in one statement; by source key. */
  async dropContributionsMany(tx: Sql, sources: ReadonlyArray<{ sourceKey: string; keep: readonly string[] }>): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(sources.map((x) => [x.sourceKey, []]));
    if (sources.length === 0) return out;
    const kept = sources.flatMap((x) => x.keep.map((p) => [x.sourceKey, p] as const));
    const { rows } = await tx.query<{ source_key: string; person_id: string }>(
      `DELETE FROM person_contribution c WHERE c.source_key = ANY($1::text[])
       AND NOT EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS k(s, p) WHERE k.s = c.source_key AND k.p = c.person_id)
       RETURNING c.source_key, c.person_id`, [[...out.keys()], kept.map((k) => k[0]), kept.map((k) => k[1])]);
    for (const r of rows) out.get(r.source_key)!.push(r.person_id);
    return out;
  }

  async contributions(tx: Sql, personId: string): Promise<Contribution[]> {
    return (await this.contributionsOf(tx, [personId])).get(personId) ?? [];
  }

  /** Each person's contributions, oldest first; people with none are absent. */
  async contributionsOf(tx: Sql, personIds: readonly string[]): Promise<Map<string, Contribution[]>> {
    const out = new Map<string, Contribution[]>();
    if (personIds.length === 0) return out;
    const { rows } = await tx.query<{ person_id: string; source_key: string; content: Patient; updated_at: string }>(
      `SELECT person_id, source_key, content, updated_at FROM person_contribution WHERE person_id = ANY($1::text[])
       ORDER BY person_id, updated_at, source_key`, [[...new Set(personIds)]]);
    for (const r of rows) {
      const list = out.get(r.person_id) ?? [];
      list.push({ sourceKey: r.source_key, content: r.content, updatedAt: r.updated_at });
      out.set(r.person_id, list);
    }
    return out;
  }

  /** Deletes and returns all of a person's contributions (they are re-made by replaying their sources). */
  async takeContributions(tx: Sql, personId: string): Promise<string[]> {
    const { rows } = await tx.query<{ source_key: string }>('DELETE FROM person_contribution WHERE person_id = $1 RETURNING source_key', [personId]);
    return rows.map((r) => r.source_key);
  }

  async saveDemographics(tx: Sql, personId: string, d: Demographics | undefined, now: string): Promise<void> {
    await this.saveDemographicsMany(tx, [{ personId, demographics: d }], now);
  }

  /** Matching demographics for several people: saved, or removed where `demographics` is undefined (no source left). */
  async saveDemographicsMany(tx: Sql, entries: ReadonlyArray<{ personId: string; demographics: Demographics | undefined }>, now: string): Promise<void> {
    const gone = entries.filter((e) => !e.demographics).map((e) => e.personId);
    if (gone.length) await tx.query('DELETE FROM person_demographics WHERE person_id = ANY($1::text[])', [gone]);
    const kept = entries.filter((e) => e.demographics).map(({ personId, demographics: d }) => ({
      person_id: personId, family: d!.family ?? null, given: d!.given ?? null, family_code: soundex(d!.family) ?? null,
      given_code: soundex(d!.given) ?? null, birth_date: d!.birthDate ?? null, sex: d!.sex ?? null, postcode: d!.postcode ?? null,
      nhs_number: d!.nhsNumber ?? null, identifier_systems: d!.identifierSystems,
    }));
    if (kept.length === 0) return;
    await tx.query(
      `INSERT INTO person_demographics (person_id, family, given, family_code, given_code, birth_date, sex, postcode, nhs_number, identifier_systems, updated_at)
       SELECT x.person_id, x.family, x.given, x.family_code, x.given_code, x.birth_date, x.sex, x.postcode, x.nhs_number, x.identifier_systems, $2
       FROM jsonb_to_recordset($1::jsonb) AS x(person_id text, family text, given text, family_code text, given_code text, birth_date date,
         sex text, postcode text, nhs_number text, identifier_systems text[])
       ON CONFLICT (person_id) DO UPDATE SET family = excluded.family, given = excluded.given, family_code = excluded.family_code,
         given_code = excluded.given_code, birth_date = excluded.birth_date, sex = excluded.sex, postcode = excluded.postcode,
         nhs_number = excluded.nhs_number, identifier_systems = excluded.identifier_systems, updated_at = excluded.updated_at`,
      [JSON.stringify(kept), now]);
  }

  /** People who might be this person (blocking; identity-candidates.ts). */
  async candidates(tx: Sql, d: Demographics, exclude: readonly string[]): Promise<Candidate[]> {
    return (await candidatesMany(tx, [{ demographics: d, exclude }]))[0]!.sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));
  }

  /** Unborn children linked under a mother's NHS number, with their expected dates. */
  async unbornOfMother(tx: Sql, motherNhs: string): Promise<Array<{ personId: string; edd: string }>> {
    return (await unbornOfMothers(tx, [motherNhs])).get(motherNhs) ?? [];
  }

  /** Born children of the mother with this NHS number, born between two dates (inclusive). */
  async childrenBornBetween(tx: Sql, motherNhs: string, from: string, to: string): Promise<string[]> {
    const { rows } = await tx.query<{ person_id: string }>(
      `SELECT DISTINCT m.person_id FROM identity_link l
       JOIN family_member m ON m.family_key = l.person_id AND m.role = 'child'
       JOIN person_demographics d ON d.person_id = m.person_id
       WHERE l.system = $1 AND l.value = $2 AND d.birth_date BETWEEN $3::date AND $4::date
       ORDER BY m.person_id`, [SYSTEM.nhsNumber, motherNhs, from, to]);
    return rows.map((r) => r.person_id);
  }

  async isNonMatch(tx: Sql, a: string, b: string): Promise<boolean> {
    const [x, y] = [a, b].sort();
    const { rows } = await tx.query('SELECT 1 FROM identity_nonmatch WHERE person_a = $1 AND person_b = $2', [x, y]);
    return rows.length > 0;
  }

  async addNonMatch(tx: Sql, a: string, b: string, by: string, reason: string | undefined, now: string): Promise<void> {
    const [x, y] = [a, b].sort();
    await tx.query(
      `INSERT INTO identity_nonmatch (person_a, person_b, decided_by, decided_at, reason) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (person_a, person_b) DO NOTHING`, [x, y, by, now, reason ?? null]);
  }

  async addReview(tx: Sql, review: { id: string; personId: string; candidateId: string; score: MatchScore; now: string }): Promise<void> {
    await tx.query(
      `INSERT INTO identity_review (id, person_id, candidate_id, score, explanation, status, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, 'open', $6)
       ON CONFLICT (person_id, candidate_id) DO UPDATE SET score = excluded.score, explanation = excluded.explanation
       WHERE identity_review.status = 'open'`,
      [review.id, review.personId, review.candidateId, review.score.score, JSON.stringify(review.score), review.now]);
  }

  async reviews(sql: Sql, status: Review['status'] | undefined, limit = 200): Promise<Review[]> {
    const { rows } = await sql.query<ReviewRow>(
      `SELECT * FROM identity_review ${status ? 'WHERE status = $2' : ''} ORDER BY created_at, id LIMIT $1`, status ? [limit, status] : [limit]);
    return rows.map(toReview);
  }

  async review(sql: Sql, id: string): Promise<Review | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const { rows } = await sql.query<ReviewRow>('SELECT * FROM identity_review WHERE id = $1', [id]);
    return rows[0] ? toReview(rows[0]) : undefined;
  }

  async resolveReview(tx: Sql, id: string, status: Review['status'], by: string, reason: string | undefined, now: string): Promise<void> {
    await tx.query('UPDATE identity_review SET status = $2, resolved_by = $3, reason = $4, resolved_at = $5 WHERE id = $1', [id, status, by, reason ?? null, now]);
  }

  /** Open reviews about a person that a merge made moot. */
  async supersedeReviews(tx: Sql, personId: string, now: string): Promise<void> {
    await tx.query(
      `UPDATE identity_review SET status = 'superseded', resolved_at = $2, resolved_by = 'merge'
       WHERE status = 'open' AND (person_id = $1 OR candidate_id = $1)`, [personId, now]);
  }

  async recordMerge(tx: Sql, m: Omit<MergeRecord, 'unmergedAt'>): Promise<void> {
    await tx.query(
      `INSERT INTO identity_merge (id, survivor_id, merged_id, identifiers, source_keys, reason, decided_by, merged_at)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8)`,
      [m.id, m.survivorId, m.mergedId, JSON.stringify(m.identifiers), JSON.stringify(m.sourceKeys), m.reason, m.decidedBy, m.mergedAt]);
  }

  async merge(sql: Sql, id: string): Promise<MergeRecord | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const { rows } = await sql.query<MergeRow>('SELECT * FROM identity_merge WHERE id = $1', [id]);
    return rows[0] ? toMerge(rows[0]) : undefined;
  }

  async merges(sql: Sql, personId: string): Promise<MergeRecord[]> {
    const { rows } = await sql.query<MergeRow>(
      'SELECT * FROM identity_merge WHERE survivor_id = $1 OR merged_id = $1 ORDER BY merged_at', [personId]);
    return rows.map(toMerge);
  }

  async markUnmerged(tx: Sql, id: string, by: string, now: string): Promise<void> {
    await tx.query('UPDATE identity_merge SET unmerged_at = $2, unmerged_by = $3 WHERE id = $1', [id, now, by]);
  }

  /** Moves identifiers to another person as an operator decision (merge and unmerge). */
  async repoint(tx: Sql, ids: readonly IdentifierKey[], personId: string, sourceKey: string, now: string): Promise<void> {
    await this.link(tx, ids, personId, { sourceKey, now, manual: true });
  }
}

interface ReviewRow {
  id: string; person_id: string; candidate_id: string; score: number; explanation: MatchScore; status: Review['status'];
  created_at: string; resolved_at: string | null; resolved_by: string | null; reason: string | null;
}
interface MergeRow {
  id: string; survivor_id: string; merged_id: string; identifiers: IdentifierKey[]; source_keys: string[]; reason: string;
  decided_by: string; merged_at: string; unmerged_at: string | null;
}

function toReview(r: ReviewRow): Review {
  return { id: r.id, personId: r.person_id, candidateId: r.candidate_id, score: r.score, explanation: r.explanation, status: r.status,
    createdAt: r.created_at, resolvedAt: r.resolved_at, resolvedBy: r.resolved_by, reason: r.reason };
}

function toMerge(r: MergeRow): MergeRecord {
  return { id: r.id, survivorId: r.survivor_id, mergedId: r.merged_id, identifiers: r.identifiers, sourceKeys: r.source_keys,
    reason: r.reason, decidedBy: r.decided_by, mergedAt: r.merged_at, unmergedAt: r.unmerged_at };
}
