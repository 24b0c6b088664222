import type { Db, Sql } from './db.js';

export interface AlertState {
  flagId: string;
  recipientId: string;
  deliveredAt: string | null;
  seenAt: string | null;
  seenVia: string | null;
  decision: 'accepted' | 'overridden' | null;
  decidedAt: string | null;
  decidedBy: string | null;
  reason: unknown;
}

/**
 * The acknowledgement loop per alert and recipient: raised → delivered → seen → accepted or
 * overridden. Timestamps are set once (the first delivery, the first sighting); a decision
 * may be revised and keeps the latest.
 */
export class AlertStateStore {
  constructor(private readonly db: Db) {}

  /**
   * Records a delivery of these alerts to a recipient. Returns, for each alert, when it last
   * reached this recipient before now (null if never), so the caller can tell a first
   * delivery since the alert was raised from a repeat.
   */
  async delivered(tx: Sql, recipientId: string, flagIds: readonly string[], now: string): Promise<Map<string, string | null>> {
    return (await this.deliveredMany(tx, [{ recipientId, flagIds }], now)).get(recipientId) ?? new Map();
  }

  /** {@link delivered} for several pushes at once; by recipient id, then flag id. */
  async deliveredMany(tx: Sql, pushes: ReadonlyArray<{ recipientId: string; flagIds: readonly string[] }>, now: string): Promise<Map<string, Map<string, string | null>>> {
    const pairs = [...new Map(pushes.flatMap((p) => p.flagIds.map((f) => [`${f}|${p.recipientId}`, { f, r: p.recipientId }] as const))).entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    const out = new Map<string, Map<string, string | null>>(pushes.map((p) => [p.recipientId, new Map()]));
    if (pairs.length === 0) return out;
    // Every part of one statement sees the same snapshot: `prev` reads the rows as they were before the upsert.
    const { rows } = await tx.query<{ flag_id: string; recipient_id: string; previous: string | null }>(
      `WITH k AS (SELECT * FROM unnest($1::text[], $2::text[]) AS k(f, r)),
       prev AS (SELECT a.flag_id, a.recipient_id, a.last_delivered_at FROM alert_state a JOIN k ON a.flag_id = k.f AND a.recipient_id = k.r),
       up AS (INSERT INTO alert_state (flag_id, recipient_id, delivered_at, last_delivered_at) SELECT f, r, $3, $3 FROM k
         ON CONFLICT (flag_id, recipient_id) DO UPDATE SET delivered_at = COALESCE(alert_state.delivered_at, excluded.delivered_at),
           last_delivered_at = excluded.last_delivered_at
         RETURNING flag_id, recipient_id)
       SELECT up.flag_id, up.recipient_id, prev.last_delivered_at AS previous FROM up
       LEFT JOIN prev ON prev.flag_id = up.flag_id AND prev.recipient_id = up.recipient_id`,
      [pairs.map((p) => p.f), pairs.map((p) => p.r), now]);
    for (const r of rows) out.get(r.recipient_id)!.set(r.flag_id, r.previous === null ? null : new Date(r.previous).toISOString());
    return out;
  }

  async seen(sql: Sql, recipientId: string, flagIds: readonly string[], via: string, now: string): Promise<void> {
    if (flagIds.length === 0) return;
    await sql.query(
      `INSERT INTO alert_state (flag_id, recipient_id, seen_at, seen_via) SELECT f, $2, $3, $4 FROM unnest($1::text[]) AS f
       ON CONFLICT (flag_id, recipient_id) DO UPDATE SET seen_at = COALESCE(alert_state.seen_at, excluded.seen_at),
         seen_via = COALESCE(alert_state.seen_via, excluded.seen_via)`,
      [[...flagIds], recipientId, now, via]);
  }

  async decide(sql: Sql, recipientId: string, flagId: string, d: { decision: 'accepted' | 'overridden'; by: string; reason?: unknown; at: string }): Promise<void> {
    await sql.query(
      `INSERT INTO alert_state (flag_id, recipient_id, seen_at, seen_via, decision, decided_at, decided_by, reason)
       VALUES ($1, $2, $3, 'cds-feedback', $4, $3, $5, $6::jsonb)
       ON CONFLICT (flag_id, recipient_id) DO UPDATE SET seen_at = COALESCE(alert_state.seen_at, excluded.seen_at),
         seen_via = COALESCE(alert_state.seen_via, excluded.seen_via), decision = excluded.decision,
         decided_at = excluded.decided_at, decided_by = excluded.decided_by, reason = excluded.reason`,
      [flagId, recipientId, d.at, d.decision, d.by, d.reason === undefined ? null : JSON.stringify(d.reason)]);
  }

  async forFlag(flagId: string, sql: Sql = this.db): Promise<AlertState[]> {
    const { rows } = await sql.query<Row>('SELECT * FROM alert_state WHERE flag_id = $1 ORDER BY recipient_id', [flagId]);
    return rows.map(toState);
  }

  /** Whether anyone has seen the alert at all. */
  async seenByAnyone(flagId: string, sql: Sql = this.db): Promise<boolean> {
    const { rows } = await sql.query('SELECT 1 FROM alert_state WHERE flag_id = $1 AND seen_at IS NOT NULL LIMIT 1', [flagId]);
    return rows.length > 0;
  }
}

interface Row {
  flag_id: string; recipient_id: string; delivered_at: string | null; seen_at: string | null; seen_via: string | null;
  decision: 'accepted' | 'overridden' | null; decided_at: string | null; decided_by: string | null; reason: unknown;
}

function toState(r: Row): AlertState {
  return { flagId: r.flag_id, recipientId: r.recipient_id, deliveredAt: r.delivered_at, seenAt: r.seen_at, seenVia: r.seen_via,
    decision: r.decision, decidedAt: r.decided_at, decidedBy: r.decided_by, reason: r.reason };
}
