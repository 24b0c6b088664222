import type { Flag, OperationOutcome, Subscription } from '../fhir/types.js';
import type { Sql } from '../store/db.js';
import type { SubscriptionStatusCode } from './backport.js';
import type { SubscriptionSpec } from './subscription-request.js';

/** A stored subscription: the resource as accepted plus what the notifier tracks. */
export interface StoredSubscription {
  id: string;
  clientId: string;
  revision: number;
  status: SubscriptionStatusCode;
  spec: SubscriptionSpec;
  /** Cradle's FHIR base URL as the client reached it, for absolute references in notifications. */
  serverBase: string;
  eventsSinceStart: number;
  /** The last event number sent to the endpoint (or given up on). */
  notifiedThrough: number;
  nextHeartbeatAt: string | null;
  lastError: OperationOutcome | null;
  /** The Subscription resource with its current status, version and error. */
  resource: Subscription;
}

export interface StoredEvent {
  number: number;
  focus: string;
  focusVersion: number;
  created: boolean;
  occurredAt: string;
}

interface Row {
  id: string; client_id: string; revision: number; status: SubscriptionStatusCode; resource: Subscription; spec: SubscriptionSpec;
  server_base: string; events_since_start: number; notified_through: number; next_heartbeat_at: string | null;
  last_error: OperationOutcome | null; updated_at: string;
}

function toStored(r: Row): StoredSubscription {
  const error = r.status === 'error' ? r.last_error?.issue[0]?.diagnostics : undefined;
  return {
    id: r.id, clientId: r.client_id, revision: r.revision, status: r.status, spec: r.spec, serverBase: r.server_base,
    eventsSinceStart: r.events_since_start, notifiedThrough: r.notified_through, nextHeartbeatAt: r.next_heartbeat_at, lastError: r.last_error,
    resource: { ...r.resource, id: r.id, meta: { ...r.resource.meta, versionId: String(r.revision), lastUpdated: r.updated_at }, status: r.status, ...(error ? { error } : {}) },
  };
}

export async function insertSubscription(sql: Sql, s: { id: string; clientId: string; resource: Subscription; spec: SubscriptionSpec; serverBase: string; status: SubscriptionStatusCode }, now: string): Promise<StoredSubscription> {
  const { rows } = await sql.query<Row>(
    `INSERT INTO subscription (id, client_id, status, resource, spec, server_base, end_at, created_at, updated_at)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $8) RETURNING *`,
    [s.id, s.clientId, s.status, JSON.stringify(s.resource), JSON.stringify(s.spec), s.serverBase, s.spec.end ?? null, now]);
  return toStored(rows[0]!);
}

/** Replaces what the client asked for (an update): a new revision, status as given, the error cleared. */
export async function replaceSubscription(sql: Sql, id: string, s: { resource: Subscription; spec: SubscriptionSpec; status: SubscriptionStatusCode }, now: string): Promise<StoredSubscription> {
  const { rows } = await sql.query<Row>(
    `UPDATE subscription SET revision = revision + 1, status = $2, resource = $3::jsonb, spec = $4::jsonb, end_at = $5,
       last_error = NULL, next_heartbeat_at = NULL, updated_at = $6 WHERE id = $1 RETURNING *`,
    [id, s.status, JSON.stringify(s.resource), JSON.stringify(s.spec), s.spec.end ?? null, now]);
  return toStored(rows[0]!);
}

export async function getSubscription(sql: Sql, id: string): Promise<StoredSubscription | undefined> {
  const { rows } = await sql.query<Row>('SELECT * FROM subscription WHERE id = $1', [id]);
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** A client's subscriptions (every one when `clientId` is undefined: admin). */
export async function listSubscriptions(sql: Sql, clientId: string | undefined): Promise<StoredSubscription[]> {
  const { rows } = await sql.query<Row>(
    `SELECT * FROM subscription ${clientId === undefined ? '' : 'WHERE client_id = $1'} ORDER BY created_at, id`, clientId === undefined ? [] : [clientId]);
  return rows.map(toStored);
}

export async function deleteSubscription(sql: Sql, id: string): Promise<void> {
  await sql.query('DELETE FROM subscription WHERE id = $1', [id]);
}

/** Subscriptions that count events now: not off, not past their end. In id order, the order their rows are locked in. */
export async function liveSubscriptions(sql: Sql, now: string): Promise<StoredSubscription[]> {
  const { rows } = await sql.query<Row>(
    "SELECT * FROM subscription WHERE status <> 'off' AND (end_at IS NULL OR end_at > $1) ORDER BY id", [now]);
  return rows.map(toStored);
}

/**
 * Numbers and stores events for one subscription, in the caller's transaction. The UPDATE
 * locks the subscription's row until commit, so concurrent transactions number its events
 * one after the other: numbers are gapless and commit in order.
 */
export async function appendEvents(tx: Sql, id: string, events: ReadonlyArray<Omit<StoredEvent, 'number'>>): Promise<number | undefined> {
  const { rows } = await tx.query<{ n: number }>(
    'UPDATE subscription SET events_since_start = events_since_start + $2 WHERE id = $1 RETURNING events_since_start AS n', [id, events.length]);
  if (!rows[0]) return undefined; // deleted since it was listed
  const last = rows[0].n;
  const first = last - events.length + 1;
  await tx.query(
    `INSERT INTO subscription_event (subscription_id, event_number, focus, focus_version, created, occurred_at)
     SELECT $1, n, f, v, c, o FROM unnest($2::bigint[], $3::text[], $4::int[], $5::boolean[], $6::timestamptz[]) AS e(n, f, v, c, o)`,
    [id, events.map((_, i) => first + i), events.map((e) => e.focus), events.map((e) => e.focusVersion), events.map((e) => e.created), events.map((e) => e.occurredAt)]);
  return last;
}

/** Events numbered from `from` to `to` inclusive, oldest first, at most `limit`. */
export async function eventsBetween(sql: Sql, id: string, from: number, to: number, limit: number): Promise<StoredEvent[]> {
  const { rows } = await sql.query<{ event_number: number; focus: string; focus_version: number; created: boolean; occurred_at: string }>(
    `SELECT event_number, focus, focus_version, created, occurred_at FROM subscription_event
     WHERE subscription_id = $1 AND event_number BETWEEN $2 AND $3 ORDER BY event_number LIMIT $4`, [id, from, to, limit]);
  return rows.map((r) => ({ number: r.event_number, focus: r.focus, focusVersion: r.focus_version, created: r.created, occurredAt: r.occurred_at }));
}

/**
 * Moves a subscription from one of `from` to `to`, only if it is still at `revision` (a
 * client's update in the meantime wins). Returns the subscription as it now is, if moved.
 */
export async function moveStatus(sql: Sql, s: { id: string; revision: number }, from: readonly SubscriptionStatusCode[], to: SubscriptionStatusCode,
  extra: { lastError?: OperationOutcome; nextHeartbeatAt?: string | null }, now: string): Promise<StoredSubscription | undefined> {
  const { rows } = await sql.query<Row>(
    `UPDATE subscription SET status = $4, updated_at = $5,
       last_error = CASE WHEN $6::boolean THEN $7::jsonb ELSE last_error END,
       next_heartbeat_at = CASE WHEN $8::boolean THEN $9::timestamptz ELSE next_heartbeat_at END
     WHERE id = $1 AND revision = $2 AND status = ANY($3::text[]) RETURNING *`,
    [s.id, s.revision, [...from], to, now, extra.lastError !== undefined, extra.lastError ? JSON.stringify(extra.lastError) : null,
      extra.nextHeartbeatAt !== undefined, extra.nextHeartbeatAt ?? null]);
  return rows[0] ? toStored(rows[0]) : undefined;
}

/** Records that the endpoint took a notification: events through `through`, and when the next heartbeat is due. */
export async function recordNotified(sql: Sql, s: { id: string; revision: number }, through: number, nextHeartbeatAt: string | null): Promise<void> {
  await sql.query(
    'UPDATE subscription SET notified_through = GREATEST(notified_through, $3), next_heartbeat_at = $4 WHERE id = $1 AND revision = $2',
    [s.id, s.revision, through, nextHeartbeatAt]);
}

/** Subscriptions whose heartbeat is due and that have no notification work waiting already. */
export async function heartbeatsDue(sql: Sql, now: string): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `SELECT s.id FROM subscription s WHERE s.next_heartbeat_at <= $1 AND s.status IN ('active', 'error') AND (s.end_at IS NULL OR s.end_at > $1)
       AND NOT EXISTS (SELECT 1 FROM work_item w WHERE w.queue = 'notify' AND w.key = s.id) ORDER BY s.id LIMIT 1000`, [now]);
  return rows.map((r) => r.id);
}

/** The Flag of each event as it was right after the change (resource_version), keyed `Flag/<id>|<version>`. */
export async function focusVersions(sql: Sql, events: readonly StoredEvent[]): Promise<Map<string, Flag>> {
  if (events.length === 0) return new Map();
  const { rows } = await sql.query<{ id: string; version_id: number; content: Flag }>(
    `SELECT h.id, h.version_id, h.content FROM resource_version h
     JOIN unnest($1::text[], $2::int[]) AS k(i, v) ON h.res_type = 'Flag' AND h.id = k.i AND h.version_id = k.v WHERE NOT h.deleted`,
    [events.map((e) => e.focus.slice('Flag/'.length)), events.map((e) => e.focusVersion)]);
  return new Map(rows.map((r) => [`Flag/${r.id}|${r.version_id}`, r.content]));
}
