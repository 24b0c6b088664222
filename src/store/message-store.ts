import { createHash } from 'node:crypto';
import type { OperationOutcome } from '../fhir/types.js';
import type { Db, Sql } from './db.js';

export type MessageStatus = 'received' | 'processed' | 'rejected' | 'failed';

/** A stored inbound message without its body. */
export interface MessageSummary {
  id: string;
  source: string;
  contentType: string;
  sha256: string;
  status: MessageStatus;
  outcome: OperationOutcome | null;
  clientId: string | null;
  receivedAt: string;
  updatedAt: string;
  attempts: number;
  businessKey: string | null;
  businessVersion: number | null;
  resourceRefs: string[];
}

export interface InboundMessage extends MessageSummary {
  body: Buffer;
}

export interface AcceptInput {
  id: string;
  source: string;
  contentType: string;
  body: Buffer;
  clientId: string | null;
  receivedAt: string;
  /** `received` when the input passed its contract, `rejected` (with outcome) when not. */
  status: 'received' | 'rejected';
  outcome?: OperationOutcome;
}

/** How processing a message ended. */
export interface FinishResult {
  status: Exclude<MessageStatus, 'received'>;
  outcome?: OperationOutcome;
  resourceRefs?: string[];
  businessKey?: string;
  businessVersion?: number;
}

export interface MessageQuery {
  status?: MessageStatus;
  /** Any of these statuses (with `status`, both must hold). */
  statuses?: readonly MessageStatus[];
  source?: string;
  since?: string;
  until?: string;
  limit?: number;
  afterId?: string;
}

const SUMMARY_COLUMNS = `id, source, content_type, sha256, status, outcome, client_id, received_at, updated_at,
  attempts, business_key, business_version, resource_refs`;

export function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * The inbound message store. `accept` commits the raw bytes before anything else
 * happens; a message with the same source and bytes as one already stored is the same
 * message and gets the same id back.
 */
export class MessageStore {
  constructor(private readonly db: Db) {}

  async accept(input: AcceptInput): Promise<{ message: MessageSummary; duplicate: boolean }> {
    const hash = sha256(input.body);
    const inserted = await this.db.query<Row>(
      `INSERT INTO inbound_message (id, source, content_type, body, sha256, status, outcome, client_id, received_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $9)
       ON CONFLICT (source, sha256) DO NOTHING
       RETURNING ${SUMMARY_COLUMNS}`,
      [input.id, input.source, input.contentType, input.body, hash, input.status,
        input.outcome ? JSON.stringify(input.outcome) : null, input.clientId, input.receivedAt],
    );
    if (inserted.rows[0]) return { message: toSummary(inserted.rows[0]), duplicate: false };
    const existing = await this.db.query<Row>(
      `SELECT ${SUMMARY_COLUMNS} FROM inbound_message WHERE source = $1 AND sha256 = $2`, [input.source, hash]);
    if (!existing.rows[0]) throw new Error('inbound message vanished between insert and select');
    return { message: toSummary(existing.rows[0]), duplicate: true };
  }

  async get(id: string): Promise<InboundMessage | undefined> {
    return (await this.getMany([id])).get(id);
  }

  /** Messages with their bodies, by id (a batch of map jobs reads them at once); unknown ids are absent. */
  async getMany(ids: readonly string[]): Promise<Map<string, InboundMessage>> {
    const valid = [...new Set(ids.filter(isUuid))];
    if (valid.length === 0) return new Map();
    const { rows } = await this.db.query<Row & { body: Uint8Array }>(
      `SELECT ${SUMMARY_COLUMNS}, body FROM inbound_message WHERE id = ANY($1::uuid[])`, [valid]);
    return new Map(rows.map((row) => [row.id, { ...toSummary(row), body: Buffer.from(row.body) }]));
  }

  async summary(id: string): Promise<MessageSummary | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<Row>(`SELECT ${SUMMARY_COLUMNS} FROM inbound_message WHERE id = $1`, [id]);
    return rows[0] ? toSummary(rows[0]) : undefined;
  }

  /** Records the outcome of processing. Only a `received` message moves on. */
  async finish(tx: Sql, id: string, result: FinishResult, now: string): Promise<boolean> {
    return (await this.finishMany(tx, [{ id, ...result }], now)).has(id);
  }

  /** {@link finish} for several messages in one statement; returns the ids that moved on. */
  async finishMany(tx: Sql, results: ReadonlyArray<FinishResult & { id: string }>, now: string): Promise<Set<string>> {
    if (results.length === 0) return new Set();
    const { rows } = await tx.query<{ id: string }>(
      `UPDATE inbound_message m SET status = x.status, outcome = x.outcome, resource_refs = x.refs,
         business_key = COALESCE(x.business_key, m.business_key), business_version = COALESCE(x.business_version, m.business_version),
         attempts = m.attempts + 1, updated_at = $2
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, status text, outcome jsonb, refs jsonb, business_key text, business_version bigint)
       WHERE m.id = x.id AND m.status = 'received' RETURNING m.id`,
      [JSON.stringify(results.map((r) => ({ id: r.id, status: r.status, outcome: r.outcome ?? null, refs: r.resourceRefs ?? [],
        business_key: r.businessKey ?? null, business_version: r.businessVersion ?? null }))), now]);
    return new Set(rows.map((r) => r.id));
  }

  /** Puts a message back to `received` for replay; returns false when it does not exist. */
  async resetForReplay(id: string, now: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { rows } = await this.db.query(
      `UPDATE inbound_message SET status = 'received', outcome = NULL, updated_at = $2 WHERE id = $1 RETURNING id`, [id, now]);
    return rows.length > 0;
  }

  async list(query: MessageQuery): Promise<MessageSummary[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.status) add('status = ?', query.status);
    if (query.statuses) add('status = ANY(?::text[])', [...query.statuses]);
    if (query.source) add('source = ?', query.source);
    if (query.since) add('received_at >= ?', query.since);
    if (query.until) add('received_at < ?', query.until);
    if (query.afterId) add('id > ?', query.afterId);
    params.push(Math.min(query.limit ?? 100, 10_000));
    const { rows } = await this.db.query<Row>(
      `SELECT ${SUMMARY_COLUMNS} FROM inbound_message ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id LIMIT $${params.length}`, params);
    return rows.map(toSummary);
  }

  /** Ids of messages accepted but not finished, received before `before` (for recovery). */
  async unfinished(before: string, limit = 10_000): Promise<Array<{ id: string; attempts: number }>> {
    const { rows } = await this.db.query<{ id: string; attempts: number }>(
      `SELECT id, attempts FROM inbound_message WHERE status = 'received' AND updated_at < $1 ORDER BY received_at LIMIT $2`, [before, limit]);
    return rows;
  }

  /** How many of these messages are in each status (for a replay's progress). */
  async statusCounts(ids: readonly string[]): Promise<Record<MessageStatus, number>> {
    const out: Record<MessageStatus, number> = { received: 0, processed: 0, rejected: 0, failed: 0 };
    const valid = ids.filter(isUuid);
    if (valid.length === 0) return out;
    const { rows } = await this.db.query<{ status: MessageStatus; n: number }>(
      'SELECT status, count(*)::int AS n FROM inbound_message WHERE id = ANY($1::uuid[]) GROUP BY status', [valid]);
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  async countByStatus(): Promise<Record<MessageStatus, number>> {
    const { rows } = await this.db.query<{ status: MessageStatus; n: number }>(
      'SELECT status, count(*)::int AS n FROM inbound_message GROUP BY status');
    const out: Record<MessageStatus, number> = { received: 0, processed: 0, rejected: 0, failed: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }
}

interface Row {
  id: string; source: string; content_type: string; sha256: string; status: MessageStatus;
  outcome: OperationOutcome | null; client_id: string | null; received_at: string; updated_at: string;
  attempts: number; business_key: string | null; business_version: number | null; resource_refs: string[];
}

function toSummary(r: Row): MessageSummary {
  return {
    id: r.id, source: r.source, contentType: r.content_type, sha256: r.sha256, status: r.status,
    outcome: r.outcome, clientId: r.client_id, receivedAt: r.received_at, updatedAt: r.updated_at,
    attempts: r.attempts, businessKey: r.business_key, businessVersion: r.business_version,
    resourceRefs: r.resource_refs ?? [],
  };
}

export function isUuid(id: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
}
