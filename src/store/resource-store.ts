import { extractIndex } from '../fhir/search-params.js';
import type { AnyResource } from '../fhir/types.js';
import { stableHash } from '../util/stable-json.js';
import type { Db, Sql } from './db.js';

export interface PutResult {
  ref: string;
  versionId: number;
  /** False when the content equalled the stored version: nothing was written. */
  changed: boolean;
  created: boolean;
}

export interface PutOptions {
  sourceKey: string | null | ((resource: AnyResource) => string | null);
  now: string;
  fresh?: boolean;
}

interface Write { res_type: string; id: string; version_id: number; content: unknown; content_hash: string; source_key: string | null }

interface CurrentRow { res_type: string; id: string; version_id: number; content_hash: string; deleted: boolean }

/**
 * The FHIR resource store: current versions (`resource`), superseded versions
 * (`resource_history`; `resource_version` is both), and the search index, kept in step in
 * the caller's transaction. A write is two statements whatever the batch's size (lock,
 * then one statement that moves superseded versions to history, upserts, and re-indexes)
 * and skips resources whose content has not changed, so processing the same input twice
 * creates no new versions.
 */
export class ResourceStore {
  constructor(private readonly db: Db) {}

  async read<T extends AnyResource = AnyResource>(type: string, id: string, sql: Sql = this.db): Promise<T | undefined> {
    const { rows } = await sql.query<{ content: T }>(
      'SELECT content FROM resource WHERE res_type = $1 AND id = $2 AND NOT deleted', [type, id]);
    return rows[0]?.content;
  }

  /** Reads `Type/id` references; missing or deleted ones are left out. */
  async readRefs(refs: readonly string[], sql: Sql = this.db): Promise<AnyResource[]> {
    if (refs.length === 0) return [];
    const types: string[] = [];
    const ids: string[] = [];
    for (const ref of new Set(refs)) {
      const [t, i] = ref.split('/');
      if (t && i) {
        types.push(t);
        ids.push(i);
      }
    }
    const { rows } = await sql.query<{ content: AnyResource }>(
      `SELECT r.content FROM resource r JOIN unnest($1::text[], $2::text[]) AS k(t, i) ON r.res_type = k.t AND r.id = k.i
       WHERE NOT r.deleted`, [types, ids]);
    return rows.map((r) => r.content);
  }

  async readVersion(type: string, id: string, versionId: number): Promise<{ content: AnyResource; deleted: boolean } | undefined> {
    const { rows } = await this.db.query<{ content: AnyResource; deleted: boolean }>(
      'SELECT content, deleted FROM resource_version WHERE res_type = $1 AND id = $2 AND version_id = $3', [type, id, versionId]);
    return rows[0];
  }

  async history(type: string, id: string): Promise<Array<{ content: AnyResource; deleted: boolean; versionId: number }>> {
    const { rows } = await this.db.query<{ content: AnyResource; deleted: boolean; version_id: number }>(
      'SELECT content, deleted, version_id FROM resource_version WHERE res_type = $1 AND id = $2 ORDER BY version_id DESC', [type, id]);
    return rows.map((r) => ({ content: r.content, deleted: r.deleted, versionId: r.version_id }));
  }

  /** `Type/id` of every current resource a source record produced. */
  async refsBySource(tx: Sql, sourceKey: string): Promise<string[]> {
    return (await this.refsBySources(tx, [sourceKey])).get(sourceKey) ?? [];
  }

  /** {@link refsBySource} for several source records in one statement; each key maps to its refs ([] for none). */
  async refsBySources(tx: Sql, sourceKeys: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(sourceKeys.map((k) => [k, []]));
    if (sourceKeys.length === 0) return out;
    const { rows } = await tx.query<{ source_key: string; res_type: string; id: string }>(
      'SELECT source_key, res_type, id FROM resource WHERE source_key = ANY($1::text[]) AND NOT deleted', [[...out.keys()]]);
    for (const r of rows) out.get(r.source_key)!.push(`${r.res_type}/${r.id}`);
    return out;
  }

  /**
   * Creates or updates resources (each must have an id). `sourceKey` records which source
   * record produced them — one for all, or per resource (a batch of messages) —; null for
   * resources Cradle derives (Flags, Patients merged from several sources). `fresh` says every
   * id was just minted, so none can exist yet.
   */
  async putMany(tx: Sql, resources: readonly AnyResource[], opts: PutOptions): Promise<PutResult[]> {
    if (resources.length === 0) return [];
    const keyed = resources.map((r) => {
      if (!r.id) throw new Error(`${r.resourceType} without id cannot be stored`);
      const { meta, ...rest } = r as AnyResource & { meta?: Record<string, unknown> };
      const { versionId: _v, lastUpdated: _l, ...metaRest } = meta ?? {};
      const body = Object.keys(metaRest).length ? { ...rest, meta: metaRest } : rest;
      return { type: r.resourceType, id: r.id, body, hash: stableHash(body), sourceKey: typeof opts.sourceKey === 'function' ? opts.sourceKey(r) : opts.sourceKey };
    });
    // `fresh`: ids just minted (random UUIDs), so there is nothing to read; were one taken, the write would fail.
    const current = opts.fresh ? new Map<string, CurrentRow>() : await this.lockCurrent(tx, keyed.map((k) => k.type), keyed.map((k) => k.id));
    const results: PutResult[] = [];
    const writes: Write[] = [];
    for (const k of keyed) {
      const ref = `${k.type}/${k.id}`;
      const row = current.get(ref);
      if (row && !row.deleted && row.content_hash === k.hash) {
        results.push({ ref, versionId: row.version_id, changed: false, created: false });
        continue;
      }
      const versionId = (row?.version_id ?? 0) + 1;
      const content = { ...k.body, meta: { ...(k.body as { meta?: object }).meta, versionId: String(versionId), lastUpdated: opts.now } };
      writes.push({ res_type: k.type, id: k.id, version_id: versionId, content, content_hash: k.hash, source_key: k.sourceKey });
      current.set(ref, { res_type: k.type, id: k.id, version_id: versionId, content_hash: k.hash, deleted: false });
      results.push({ ref, versionId, changed: true, created: !row || row.deleted });
    }
    if (writes.length > 0) await this.write(tx, writes, opts.now);
    return results;
  }

  /** Soft-deletes (a new, deleted version; the live one moves to history). Returns the refs that were live. */
  async removeMany(tx: Sql, refs: readonly string[], now: string): Promise<string[]> {
    if (refs.length === 0) return [];
    const types = refs.map((r) => r.split('/')[0]!);
    const ids = refs.map((r) => r.split('/')[1]!);
    // Lock first, so the statement's snapshot holds the latest committed version of each;
    // within it, `old` copies the live versions as they were before `gone` marks them deleted.
    await this.lockCurrent(tx, types, ids);
    const { rows } = await tx.query<{ res_type: string; id: string }>(
      `WITH k AS (SELECT * FROM unnest($1::text[], $2::text[]) AS k(t, i)),
       old AS (INSERT INTO resource_history (res_type, id, version_id, last_updated, deleted, content)
         SELECT r.res_type, r.id, r.version_id, r.last_updated, r.deleted, r.content FROM resource r JOIN k ON r.res_type = k.t AND r.id = k.i
         WHERE NOT r.deleted),
       gone AS (UPDATE resource r SET deleted = true, version_id = r.version_id + 1, last_updated = $3, content_hash = ''
         FROM k WHERE r.res_type = k.t AND r.id = k.i AND NOT r.deleted RETURNING r.res_type, r.id)
       SELECT res_type, id FROM gone`, [types, ids, now]);
    if (rows.length === 0) return [];
    await this.clearIndex(tx, rows.map((r) => r.res_type), rows.map((r) => r.id));
    return rows.map((r) => `${r.res_type}/${r.id}`);
  }

  /** Locks the current rows, in key order: two transactions writing overlapping batches then wait for each other instead of deadlocking. */
  private async lockCurrent(tx: Sql, types: string[], ids: string[]): Promise<Map<string, CurrentRow>> {
    const { rows } = await tx.query<CurrentRow>(
      `SELECT r.res_type, r.id, r.version_id, r.content_hash, r.deleted
       FROM resource r JOIN unnest($1::text[], $2::text[]) AS k(t, i) ON r.res_type = k.t AND r.id = k.i
       ORDER BY r.res_type, r.id FOR UPDATE OF r`, [types, ids]);
    return new Map(rows.map((r) => [`${r.res_type}/${r.id}`, r]));
  }

  private async write(tx: Sql, writes: readonly Write[], now: string): Promise<void> {
    const tokens: unknown[] = [];
    const references: unknown[] = [];
    for (const w of writes) {
      const index = extractIndex(w.content as Record<string, unknown>);
      for (const t of index.tokens) tokens.push({ res_type: w.res_type, id: w.id, ...t });
      for (const r of index.references) references.push({ res_type: w.res_type, id: w.id, ...r });
    }
    // Resources seen before (version > 1) move their current row to history and lose their
    // old index rows; new ones need neither. Every part of one statement sees the snapshot
    // from before it, so `old` copies the previous version and the deletes miss the new rows.
    const replacing = writes.some((w) => w.version_id > 1);
    const params: unknown[] = [JSON.stringify(writes), now];
    const param = (value: unknown) => `$${params.push(value)}`;
    const parts = [
      `x AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(res_type text, id text, version_id int, content jsonb, content_hash text, source_key text))`,
      ...(replacing ? [
        `old AS (INSERT INTO resource_history (res_type, id, version_id, last_updated, deleted, content)
           SELECT r.res_type, r.id, r.version_id, r.last_updated, r.deleted, r.content FROM resource r
           JOIN x ON r.res_type = x.res_type AND r.id = x.id AND r.version_id = x.version_id - 1)`,
        `dt AS (DELETE FROM search_token s USING x WHERE x.version_id > 1 AND s.res_type = x.res_type AND s.id = x.id)`,
        `dr AS (DELETE FROM search_reference s USING x WHERE x.version_id > 1 AND s.res_type = x.res_type AND s.id = x.id)`,
      ] : []),
      ...(tokens.length ? [`t AS (INSERT INTO search_token (res_type, id, param, system, code)
         SELECT * FROM jsonb_to_recordset(${param(JSON.stringify(tokens))}::jsonb) AS y(res_type text, id text, param text, system text, code text))`] : []),
      ...(references.length ? [`f AS (INSERT INTO search_reference (res_type, id, param, target)
         SELECT * FROM jsonb_to_recordset(${param(JSON.stringify(references))}::jsonb) AS y(res_type text, id text, param text, target text))`] : []),
      // Only over the version this transaction locked (lockCurrent): a row inserted by a
      // concurrent writer since is not overwritten; the count below catches it.
      `up AS (INSERT INTO resource (res_type, id, version_id, last_updated, deleted, content, content_hash, source_key)
         SELECT x.res_type, x.id, x.version_id, $2, false, x.content, x.content_hash, x.source_key FROM x
         ON CONFLICT (res_type, id) DO UPDATE SET version_id = excluded.version_id, last_updated = excluded.last_updated,
           deleted = false, content = excluded.content, content_hash = excluded.content_hash,
           source_key = COALESCE(excluded.source_key, resource.source_key)
         WHERE resource.version_id = excluded.version_id - 1
         RETURNING 1)`,
    ];
    const { rows } = await tx.query<{ n: number }>(`WITH ${parts.join(',\n')} SELECT count(*)::int AS n FROM up`, params);
    if (rows[0]?.n !== writes.length) {
      throw new Error(`concurrent write: ${writes.length - (rows[0]?.n ?? 0)} of ${writes.length} resources changed since they were read; retry`);
    }
  }

  private async clearIndex(tx: Sql, types: string[], ids: string[]): Promise<void> {
    await tx.query(
      `DELETE FROM search_token s USING unnest($1::text[], $2::text[]) AS k(t, i) WHERE s.res_type = k.t AND s.id = k.i`, [types, ids]);
    await tx.query(
      `DELETE FROM search_reference s USING unnest($1::text[], $2::text[]) AS k(t, i) WHERE s.res_type = k.t AND s.id = k.i`, [types, ids]);
  }
}
