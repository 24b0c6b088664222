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
    return (await this.getMany([{ recipientId, familyKey }], sql)).get(`${recipientId}|${familyKey}`);
  }

  /** The state of each (recipient, family) pair, keyed `recipientId|familyKey`; pairs never delivered are absent. */
  async getMany(pairs: ReadonlyArray<{ recipientId: string; familyKey: string }>, sql: Sql = this.db): Promise<Map<string, DeliveryState>> {
    if (pairs.length === 0) return new Map();
    const { rows } = await sql.query<Row>(
      `SELECT d.* FROM delivery d JOIN unnest($1::text[], $2::text[]) AS k(r, f) ON d.recipient_id = k.r AND d.family_key = k.f`,
      [pairs.map((p) => p.recipientId), pairs.map((p) => p.familyKey)]);
    return new Map(rows.map((r) => [`${r.recipient_id}|${r.family_key}`, toState(r)]));
  }

  async forFamily(familyKey: string, sql: Sql = this.db): Promise<DeliveryState[]> {
    return (await this.forFamilies([familyKey], sql)).get(familyKey) ?? [];
  }

  /** Every recipient's state for each of these families, by recipient id; a family never delivered maps to []. */
  async forFamilies(familyKeys: readonly string[], sql: Sql = this.db): Promise<Map<string, DeliveryState[]>> {
    const out = new Map<string, DeliveryState[]>(familyKeys.map((k) => [k, []]));
    if (familyKeys.length === 0) return out;
    const { rows } = await sql.query<Row>('SELECT * FROM delivery WHERE family_key = ANY($1::text[]) ORDER BY family_key, recipient_id', [[...out.keys()]]);
    for (const r of rows) out.get(r.family_key)!.push(toState(r));
    return out;
  }

  /** Marks views as due for recipients (keeps what was delivered, so an unchanged view is skipped). */
  async markPending(tx: Sql, familyKey: string, recipientIds: readonly string[], now: string): Promise<void> {
    await this.markPendingMany(tx, recipientIds.map((recipientId) => ({ recipientId, familyKey })), now);
  }

  /** {@link markPending} for many (recipient, family) pairs, in key order so concurrent writers lock rows alike. */
  async markPendingMany(tx: Sql, pairs: ReadonlyArray<{ recipientId: string; familyKey: string }>, now: string): Promise<void> {
    if (pairs.length === 0) return;
    const sorted = sortPairs(pairs);
    await tx.query(
      `INSERT INTO delivery (recipient_id, family_key, status, updated_at) SELECT r, f, 'pending', $3 FROM unnest($1::text[], $2::text[]) AS k(r, f)
       ON CONFLICT (recipient_id, family_key) DO UPDATE SET status = 'pending', updated_at = excluded.updated_at`,
      [sorted.map((p) => p.recipientId), sorted.map((p) => p.familyKey), now]);
  }

  async recordAttempt(tx: Sql, recipientId: string, familyKey: string,
    result: { status: DeliveryStatus; hash?: string; outcome?: OperationOutcome }, now: string): Promise<void> {
    await this.recordAttempts(tx, [{ recipientId, familyKey, ...result }], now);
  }

  /** {@link recordAttempt} for several pushes in one statement (one per pair: the last given). */
  async recordAttempts(tx: Sql, attempts: ReadonlyArray<{ recipientId: string; familyKey: string; status: DeliveryStatus; hash?: string; outcome?: OperationOutcome }>, now: string): Promise<void> {
    if (attempts.length === 0) return;
    const sorted = sortPairs(attempts);
    await tx.query(
      `INSERT INTO delivery (recipient_id, family_key, status, delivered_hash, attempts, last_attempt_at, last_outcome, updated_at)
       SELECT x.recipient_id, x.family_key, x.status, x.hash, 1, $2, x.outcome, $2
       FROM jsonb_to_recordset($1::jsonb) AS x(recipient_id text, family_key text, status text, hash text, outcome jsonb)
       ON CONFLICT (recipient_id, family_key) DO UPDATE SET status = excluded.status,
         delivered_hash = COALESCE(excluded.delivered_hash, delivery.delivered_hash), attempts = delivery.attempts + 1,
         last_attempt_at = excluded.last_attempt_at, last_outcome = excluded.last_outcome, updated_at = excluded.updated_at`,
      [JSON.stringify(sorted.map((a) => ({ recipient_id: a.recipientId, family_key: a.familyKey, status: a.status, hash: a.hash ?? null, outcome: a.outcome ?? null }))), now]);
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

/**
 * One entry per (recipient, family) — the last given — in key order: an upsert may touch a
 * row only once, and writers that lock rows in one order cannot deadlock each other.
 */
function sortPairs<T extends { recipientId: string; familyKey: string }>(pairs: readonly T[]): T[] {
  const unique = new Map(pairs.map((p) => [`${p.recipientId}|${p.familyKey}`, p]));
  return [...unique.values()].sort((a, b) => (a.recipientId < b.recipientId ? -1 : a.recipientId > b.recipientId ? 1 : a.familyKey < b.familyKey ? -1 : a.familyKey > b.familyKey ? 1 : 0));
}

function toState(r: Row): DeliveryState {
  return {
    recipientId: r.recipient_id, familyKey: r.family_key, status: r.status, deliveredHash: r.delivered_hash,
    attempts: r.attempts, lastAttemptAt: r.last_attempt_at, lastOutcome: r.last_outcome, updatedAt: r.updated_at,
  };
}
