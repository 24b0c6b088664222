import type { RecordIdentity } from '../ingest/source.js';
import type { Sql } from './db.js';

/**
 * Orders versions of a source record. Returns true when this message's version applies
 * (newer than or equal to the last applied; equal re-applies idempotently), false when a
 * newer version was already applied — the late message is kept but changes nothing.
 * The upsert takes a row lock, so two versions processed at once apply in order.
 */
export async function claimVersion(tx: Sql, identity: RecordIdentity, messageId: string, now: string): Promise<boolean> {
  return (await claimVersions(tx, [{ identity, messageId }], now)).has(messageId);
}

/**
 * {@link claimVersion} for messages of distinct records in one statement (in key order, as
 * concurrent writers lock them); returns the ids of the messages whose version applies.
 */
export async function claimVersions(tx: Sql, claims: ReadonlyArray<{ identity: RecordIdentity; messageId: string }>, now: string): Promise<Set<string>> {
  const applies = new Set(claims.filter((c) => c.identity.version === null).map((c) => c.messageId));
  const versioned = claims.filter((c) => c.identity.version !== null).sort((a, b) => (a.identity.key < b.identity.key ? -1 : a.identity.key > b.identity.key ? 1 : 0));
  if (versioned.length === 0) return applies;
  const { rows } = await tx.query<{ message_id: string }>(
    `INSERT INTO source_record (business_key, version, message_id, updated_at)
     SELECT k, v, m, $4 FROM unnest($1::text[], $2::bigint[], $3::uuid[]) AS x(k, v, m)
     ON CONFLICT (business_key) DO UPDATE SET version = excluded.version, message_id = excluded.message_id, updated_at = excluded.updated_at
     WHERE source_record.version <= excluded.version
     RETURNING message_id`,
    [versioned.map((c) => c.identity.key), versioned.map((c) => c.identity.version), versioned.map((c) => c.messageId), now]);
  for (const r of rows) applies.add(r.message_id);
  return applies;
}
