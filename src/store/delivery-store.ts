import type { OperationOutcome } from '../fhir/types.js';
import type { Db, Sql } from './db.js';

export type DeliveryStatus = 'pending' | 'delivered' | 'parked' | 'withdrawn';

export interface DeliveryState {
  recipientId: string;
  familyKey: string;
  status: DeliveryStatus;
  deliveredHash: string | null;
  attempts: number;
  lastAttemptAt: string | null;
  lastOutcome: OperationOutcome | null;
  updatedAt: string;
}

/** What each recipient last received for each family, and how its last push went. */
export class DeliveryStore {
  constructor(private readonly db: Db) {}

  async get(recipientId: string, familyKey: string, sql: Sql = this.db): Promise<DeliveryState | undefined> {
    const { rows } = await sql.query<Row>('SELECT * FROM delivery WHERE recipient_id = $1 AND family_key = $2', [recipientId, familyKey]);
    return rows[0] ? toState(rows[0]) : undefined;
  }

  async forFamily(familyKey: string, sql: Sql = this.db): Promise<DeliveryState[]> {
    const { rows } = await sql.query<Row>('SELECT * FROM delivery WHERE family_key = $1 ORDER BY recipient_id', [familyKey]);
    return rows.map(toState);
  }

  /** Marks views as due for recipients (keeps what was delivered, so an unchanged view is skipped). */
  async markPending(tx: Sql, familyKey: string, recipientIds: readonly string[], now: string): Promise<void> {
    if (recipientIds.length === 0) return;
    await tx.query(
      `INSERT INTO delivery (recipient_id, family_key, status, updated_at) SELECT r, $2, 'pending', $3 FROM unnest($1::text[]) AS r
       ON CONFLICT (recipient_id, family_key) DO UPDATE SET status = 'pending', updated_at = excluded.updated_at`,
      [[...recipientIds], familyKey, now]);
  }

  async recordAttempt(tx: Sql, recipientId: string, familyKey: string,
    result: { status: DeliveryStatus; hash?: string; outcome?: OperationOutcome }, now: string): Promise<void> {
    await tx.query(
      `INSERT INTO delivery (recipient_id, family_key, status, delivered_hash, attempts, last_attempt_at, last_outcome, updated_at)
       VALUES ($1, $2, $3, $4, 1, $5, $6::jsonb, $5)
       ON CONFLICT (recipient_id, family_key) DO UPDATE SET status = excluded.status,
         delivered_hash = COALESCE(excluded.delivered_hash, delivery.delivered_hash), attempts = delivery.attempts + 1,
         last_attempt_at = excluded.last_attempt_at, last_outcome = excluded.last_outcome, updated_at = excluded.updated_at`,
      [recipientId, familyKey, result.status, result.hash ?? null, now, result.outcome ? JSON.stringify(result.outcome) : null]);
  }

  /** Sets the status without counting an attempt (parking after the last one). */
  async setStatus(tx: Sql, recipientId: string, familyKey: string, status: DeliveryStatus, outcome: OperationOutcome | undefined, now: string): Promise<void> {
    await tx.query(
      `UPDATE delivery SET status = $3, last_outcome = COALESCE($4::jsonb, last_outcome), updated_at = $5
       WHERE recipient_id = $1 AND family_key = $2`,
      [recipientId, familyKey, status, outcome ? JSON.stringify(outcome) : null, now]);
  }

  /**
   * The people a recipient may read: members of every family routed to it (and not
   * withdrawn from it). Read scoping for `read:<recipientId>` clients rests on this.
   */
  async patientsVisibleTo(recipientIds: readonly string[], sql: Sql = this.db): Promise<string[]> {
    if (recipientIds.length === 0) return [];
    const { rows } = await sql.query<{ person_id: string }>(
      `SELECT m.person_id FROM delivery d JOIN family_member m ON m.family_key = d.family_key
       WHERE d.recipient_id = ANY($1::text[]) AND d.status <> 'withdrawn'
       UNION SELECT d.family_key FROM delivery d WHERE d.recipient_id = ANY($1::text[]) AND d.status <> 'withdrawn'`,
      [[...recipientIds]]);
    return rows.map((r) => r.person_id);
  }

  /** Deliveries parked before `before` because the recipient could not be reached (not because it refused the view). */
  async parkedUnreachable(before: string, limit = 1000): Promise<DeliveryState[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM delivery WHERE status = 'parked' AND updated_at < $1
       AND last_outcome @> '{"issue": [{"details": {"coding": [{"code": "CRADLE_RECIPIENT_UNAVAILABLE"}]}}]}'::jsonb
       ORDER BY updated_at LIMIT $2`, [before, limit]);
    return rows.map(toState);
  }

  async list(status?: DeliveryStatus, limit = 500): Promise<DeliveryState[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT * FROM delivery ${status ? 'WHERE status = $2' : ''} ORDER BY updated_at DESC LIMIT $1`, status ? [limit, status] : [limit]);
    return rows.map(toState);
  }
}

interface Row {
  recipient_id: string; family_key: string; status: DeliveryStatus; delivered_hash: string | null; attempts: number;
  last_attempt_at: string | null; last_outcome: OperationOutcome | null; updated_at: string;
}

function toState(r: Row): DeliveryState {
  return {
    recipientId: r.recipient_id, familyKey: r.family_key, status: r.status, deliveredHash: r.delivered_hash,
    attempts: r.attempts, lastAttemptAt: r.last_attempt_at, lastOutcome: r.last_outcome, updatedAt: r.updated_at,
  };
}
