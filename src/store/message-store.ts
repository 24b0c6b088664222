import { createHash } from 'node:crypto';
import type { OperationOutcome } from '../fhir/types.js';
import { coalesce } from '../util/coalesce.js';
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

/** Bodies carried by one INSERT, at most (a larger body goes alone): the statement holds them twice over. */
const MAX_STATEMENT_BODY_BYTES = 4 * 1024 * 1024;

/** Consecutive runs of inputs whose bodies add up to at most `maxBytes` (a larger body alone). */
function chunksOf(inputs: readonly AcceptInput[], maxBytes: number): AcceptInput[][] {
  const chunks: AcceptInput[][] = [];
  let bytes = Number.POSITIVE_INFINITY;
  for (const input of inputs) {
    if (bytes + input.body.length > maxBytes) {
      chunks.push([]);
      bytes = 0;
    }
    chunks.at(-1)!.push(input);
    bytes += input.body.length;
  }
  return chunks;
}

export function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/**
 * The inbound message store. `accept` commits the raw bytes before anything else
 * happens; a message with the same source and bytes as one already stored is the same
 * message and gets the same id back.
 */
export class MessageStore {
  /** Accepts made at the same moment (a busy gateway's concurrent requests) share one INSERT. */
  private readonly acceptCoalesced = coalesce((inputs: readonly AcceptInput[]) => this.acceptMany(inputs), { maxBatch: 64 });

  constructor(private readonly db: Db) {}

  accept(input: AcceptInput): Promise<{ message: MessageSummary; duplicate: boolean }> {
    return this.acceptCoalesced(input);
  }

  /**
   * Stores several messages, in order, a statement per few megabytes of bodies; a message
   * whose source and bytes are already stored (or appear earlier in the list) is that
   * message, a duplicate.
   */
  async acceptMany(inputs: readonly AcceptInput[]): Promise<Array<{ message: MessageSummary; duplicate: boolean }>> {
    const out: Array<{ message: MessageSummary; duplicate: boolean }> = [];
    for (const chunk of chunksOf(inputs, MAX_STATEMENT_BODY_BYTES)) out.push(...(await this.acceptChunk(chunk)));
    return out;
  }

  private async acceptChunk(inputs: readonly AcceptInput[]): Promise<Array<{ message: MessageSummary; duplicate: boolean }>> {
    const hashes = inputs.map((i) => sha256(i.body));
    const inserted = await this.db.query<Row>(
      `INSERT INTO inbound_message (id, source, content_type, body, sha256, status, outcome, client_id, received_at, updated_at)
       SELECT x.id, x.source, x.content_type, decode(x.body, 'base64'), x.sha256, x.status, x.outcome, x.client_id, x.received_at, x.received_at
       FROM jsonb_to_recordset($1::jsonb) AS x(i int, id uuid, source text, content_type text, body text, sha256 text, status text,
         outcome jsonb, client_id text, received_at timestamptz)
       ORDER BY x.i
       ON CONFLICT (source, sha256) DO NOTHING
       RETURNING ${SUMMARY_COLUMNS}`,
      [JSON.stringify(inputs.map((input, i) => ({ i, id: input.id, source: input.source, content_type: input.contentType, body: input.body.toString('base64'),
        sha256: hashes[i], status: input.status, outcome: input.outcome ?? null, client_id: input.clientId, received_at: input.receivedAt })))],
    );
    const fresh = new Map(inserted.rows.map((r) => [r.id, toSummary(r)]));
    const others = inputs.filter((input) => !fresh.has(input.id));
    const existing = new Map<string, MessageSummary>();
    if (others.length > 0) {
      const { rows } = await this.db.query<Row>(
        `SELECT ${SUMMARY_COLUMNS} FROM inbound_message m JOIN unnest($1::text[], $2::text[]) AS k(s, h) ON m.source = k.s AND m.sha256 = k.h`,
        [others.map((i) => i.source), others.map((i) => sha256(i.body))]);
      for (const r of rows) existing.set(`${r.source}|${r.sha256}`, toSummary(r));
    }
    return inputs.map((input, i) => {
      const mine = fresh.get(input.id);
      if (mine) return { message: mine, duplicate: false };
      const stored = existing.get(`${input.source}|${hashes[i]}`);
      if (!stored) throw new Error('inbound message vanished between insert and select');
      return { message: stored, duplicate: true };
    });
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
