import type { RecordIdentity } from '../ingest/source.js';
import type { Sql } from './db.js';

/**
 * Orders versions of a source record. Returns true when this message's version applies
 * (newer than or equal to the last applied; equal re-applies idempotently), false when a
 * newer version was already applied — the late message is kept but changes nothing.
 * The upsert takes a row lock, so two versions processed at once apply in order.
 */
export async function claimVersion(tx: Sql, identity: RecordIdentity, messageId: string, now: string): Promise<boolean> {
  if (identity.version === null) return true;
  const { rows } = await tx.query(
    `INSERT INTO source_record (business_key, version, message_id, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (business_key) DO UPDATE SET version = excluded.version, message_id = excluded.message_id, updated_at = excluded.updated_at
     WHERE source_record.version <= excluded.version
     RETURNING version`, [identity.key, identity.version, messageId, now]);
  return rows.length > 0;
}
