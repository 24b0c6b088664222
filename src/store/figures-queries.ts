import { EXT, SYSTEM } from '../fhir/canonical.js';
import type { AlertEpisode, EpisodeDelivery, MessageStatus } from '../observability/figures.js';
import type { Sql } from './db.js';

/**
 * The SQL behind the business figures (`/metrics`, the dashboard). Read-only aggregates over
 * the store, so every gateway reports the same numbers whichever process did the work. Times
 * come from what the store already keeps: message receipt, Flag `period.start` (kept while a
 * Flag stays active, reset when it is raised again) in the resource history, and the
 * AuditEvent of every push attempt.
 */

export async function messageCounts(sql: Sql): Promise<Array<{ source: string; status: MessageStatus; count: number }>> {
  const { rows } = await sql.query<{ source: string; status: MessageStatus; n: number }>(
    'SELECT source, status, count(*)::int AS n FROM inbound_message GROUP BY source, status ORDER BY source, status');
  return rows.map((r) => ({ source: r.source, status: r.status, count: r.n }));
}

/** Rejected and failed messages by the code of each error in their outcome (a message counts once per code). */
export async function failureCodes(sql: Sql): Promise<Array<{ source: string; status: 'rejected' | 'failed'; code: string; count: number }>> {
  const { rows } = await sql.query<{ source: string; status: 'rejected' | 'failed'; code: string; n: number }>(
    `SELECT m.source, m.status, COALESCE(i->'details'->'coding'->0->>'code', i->>'code', 'unknown') AS code, count(DISTINCT m.id)::int AS n
     FROM inbound_message m CROSS JOIN LATERAL jsonb_array_elements(COALESCE(m.outcome->'issue', '[]'::jsonb)) i
     WHERE m.status IN ('rejected', 'failed') AND i->>'severity' IN ('error', 'fatal')
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
  return rows.map((r) => ({ source: r.source, status: r.status, code: r.code, count: r.n }));
}

/** Last message per source (all time) and messages per source and UTC day since `since`. */
export async function sourceActivity(sql: Sql, since: string): Promise<{
  last: Array<{ source: string; lastReceivedAt: string }>; perDay: Array<{ source: string; day: string; count: number }>;
}> {
  const [last, perDay] = await Promise.all([
    sql.query<{ source: string; last: string }>('SELECT source, max(received_at) AS last FROM inbound_message GROUP BY source ORDER BY source'),
    sql.query<{ source: string; day: string; n: number }>(
      `SELECT source, to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n
       FROM inbound_message WHERE received_at >= $1::timestamptz GROUP BY 1, 2`, [since]),
  ]);
  return {
    last: last.rows.map((r) => ({ source: r.source, lastReceivedAt: r.last })),
    perDay: perDay.rows.map((r) => ({ source: r.source, day: r.day, count: r.n })),
  };
}

/** Work the store holds as not done: inbound messages awaiting `map`, and the outbox per queue. */
export async function outstandingWork(sql: Sql): Promise<Array<{ queue: string; count: number; oldest: string | null }>> {
  const { rows } = await sql.query<{ queue: string; n: number; oldest: string | null }>(
    `SELECT 'map' AS queue, count(*)::int AS n, min(received_at) AS oldest FROM inbound_message WHERE status = 'received'
     UNION ALL SELECT queue, count(*)::int, min(updated_at) FROM work_item GROUP BY queue`);
  return rows.map((r) => ({ queue: r.queue, count: r.n, oldest: r.oldest }));
}

const PRIORITY: Record<string, string> = { PH: 'high', PM: 'medium', PL: 'low' };

/** Active Flags by rule (the Flag's code) and priority. */
export async function activeAlerts(sql: Sql): Promise<Array<{ rule: string; priority: string; count: number }>> {
  const { rows } = await sql.query<{ rule: string | null; priority: string | null; n: number }>(
    `SELECT content->'code'->'coding'->0->>'code' AS rule,
       (SELECT e->'valueCodeableConcept'->'coding'->0->>'code' FROM jsonb_array_elements(content->'extension') e WHERE e->>'url' = $1 LIMIT 1) AS priority,
       count(*)::int AS n
     FROM resource WHERE res_type = 'Flag' AND NOT deleted AND content->>'status' = 'active' GROUP BY 1, 2 ORDER BY 1, 2`, [EXT.flagPriority]);
  return rows.map((r) => ({ rule: r.rule ?? 'unknown', priority: PRIORITY[r.priority ?? ''] ?? 'unknown', count: r.n }));
}

/**
 * SQL: the newest receipt, up to `before`, of the messages behind resource `r` (its source
 * record's), looked up per resource through the business_key index. As a plain join the
 * planner, its row estimates lagging a store growing by thousands of resources a minute,
 * hashed the whole inbound_message table: 175 ms per alert raised and growing, in the
 * middle of the 100,000-record backfill (bench/README.md).
 */
const newestReceiptOfR = (before: string) =>
  `(SELECT max(m.received_at) FROM inbound_message m WHERE m.business_key = r.source_key AND m.received_at <= ${before})`;

/**
 * Every time a Flag became active since `since` (one row per Flag and `period.start`), whether
 * its subject is a born child, and the receipt of the newest message behind its evidence:
 * the evidence resources' source records, and the latest message of each received before the
 * Flag was raised.
 */
const EPISODES = `
  WITH ep AS (
    SELECT DISTINCT ON (h.id, h.content->'period'->>'start')
      h.id AS flag_id, (h.content->'period'->>'start')::timestamptz AS raised_at,
      COALESCE(h.content->'code'->'coding'->0->>'code', 'unknown') AS rule,
      split_part(h.content->'subject'->>'reference', '/', 2) AS subject,
      split_part((SELECT e->'valueReference'->>'reference' FROM jsonb_array_elements(h.content->'extension') e WHERE e->>'url' = $2 LIMIT 1), '/', 2) AS issue_id
    FROM resource_version h
    WHERE h.res_type = 'Flag' AND h.content->>'status' = 'active' AND (h.content->'period'->>'start')::timestamptz >= $1::timestamptz
    ORDER BY h.id, h.content->'period'->>'start', h.version_id
  )`;

export async function alertEpisodes(sql: Sql, since: string): Promise<AlertEpisode[]> {
  const { rows } = await sql.query<{ flag_id: string; raised_at: string; rule: string; subject: string; on_infant: boolean | null; ingested_at: string | null }>(
    `${EPISODES}
     SELECT ep.flag_id, ep.raised_at, ep.rule, ep.subject,
       (p.content ? 'birthDate') AND NOT EXISTS (SELECT 1 FROM family_member fm WHERE fm.family_key = ep.subject) AS on_infant,
       (SELECT max(${newestReceiptOfR('ep.raised_at')})
        FROM resource d
          CROSS JOIN LATERAL jsonb_array_elements(d.content->'evidence'->0->'detail') ev
          JOIN resource r ON r.res_type = split_part(ev->>'reference', '/', 1) AND r.id = split_part(ev->>'reference', '/', 2)
        WHERE d.res_type = 'DetectedIssue' AND d.id = ep.issue_id) AS ingested_at
     FROM ep LEFT JOIN resource p ON p.res_type = 'Patient' AND p.id = ep.subject
     ORDER BY ep.raised_at`, [since, EXT.flagDetail]);
  return rows.map((r) => ({
    flagId: r.flag_id, raisedAt: r.raised_at, rule: r.rule, onInfant: r.on_infant === true, subjectKey: r.subject, ingestedAt: r.ingested_at,
  }));
}

/** The first successful push of each episode since `since` to each recipient (from the push AuditEvents). */
export async function episodeDeliveries(sql: Sql, since: string): Promise<EpisodeDelivery[]> {
  const { rows } = await sql.query<{ flag_id: string; raised_at: string; recipient_id: string; delivered_at: string }>(
    `${EPISODES}
     SELECT ep.flag_id, ep.raised_at, t.code AS recipient_id, min(a.last_updated) AS delivered_at
     FROM ep
     JOIN search_reference s ON s.res_type = 'AuditEvent' AND s.param = 'entity' AND s.target = 'Flag/' || ep.flag_id
     JOIN resource a ON a.res_type = 'AuditEvent' AND a.id = s.id
     JOIN search_token t ON t.res_type = 'AuditEvent' AND t.id = a.id AND t.param = 'agent' AND t.system = $3
     WHERE a.content->>'outcome' = '0' AND a.last_updated >= ep.raised_at
     GROUP BY 1, 2, 3`, [since, EXT.flagDetail, SYSTEM.recipient]);
  return rows.map((r) => ({ flagId: r.flag_id, raisedAt: r.raised_at, recipientId: r.recipient_id, deliveredAt: r.delivered_at }));
}

/** Delivery rows (the latest state of each recipient's copy of each family) by recipient and status. */
export async function deliveryCounts(sql: Sql): Promise<Array<{ recipient: string; status: string; count: number }>> {
  const { rows } = await sql.query<{ recipient_id: string; status: string; n: number }>(
    'SELECT recipient_id, status, count(*)::int AS n FROM delivery GROUP BY 1, 2 ORDER BY 1, 2');
  return rows.map((r) => ({ recipient: r.recipient_id, status: r.status, count: r.n }));
}

/** Push attempts per recipient since `since24h`, and the last successful one since `since`, from the AuditEvents. */
export async function pushAttempts(sql: Sql, since: string, since24h: string): Promise<Array<{ recipient: string; success: number; failure: number; lastSuccessAt: string | null }>> {
  const { rows } = await sql.query<{ recipient: string; ok: number; failed: number; last_success: string | null }>(
    `SELECT t.code AS recipient,
       count(*) FILTER (WHERE a.content->>'outcome' = '0' AND a.last_updated >= $3::timestamptz)::int AS ok,
       count(*) FILTER (WHERE a.content->>'outcome' <> '0' AND a.last_updated >= $3::timestamptz)::int AS failed,
       max(a.last_updated) FILTER (WHERE a.content->>'outcome' = '0') AS last_success
     FROM search_token t JOIN resource a ON a.res_type = t.res_type AND a.id = t.id
     WHERE t.res_type = 'AuditEvent' AND t.param = 'agent' AND t.system = $1 AND a.last_updated >= $2::timestamptz
     GROUP BY t.code ORDER BY t.code`, [SYSTEM.recipient, since, since24h]);
  return rows.map((r) => ({ recipient: r.recipient, success: r.ok, failure: r.failed, lastSuccessAt: r.last_success }));
}

/**
 * Active Flags that no recipient holds or is due to hold: the family is routed to nobody (no
 * practice, postcode, caseload or authority in the configuration matches). An alert nobody
 * can see is a missed alert; operators need to know.
 */
export async function unroutedAlerts(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM resource r
     WHERE r.res_type = 'Flag' AND NOT r.deleted AND r.content->>'status' = 'active'
       AND NOT EXISTS (
         SELECT 1 FROM delivery d WHERE d.status <> 'withdrawn' AND (
           d.family_key = split_part(r.content->'subject'->>'reference', '/', 2)
           OR d.family_key IN (SELECT m.family_key FROM family_member m WHERE m.person_id = split_part(r.content->'subject'->>'reference', '/', 2))))`);
  return rows[0]?.n ?? 0;
}

export async function openReviews(sql: Sql): Promise<number> {
  const { rows } = await sql.query<{ n: number }>("SELECT count(*)::int AS n FROM identity_review WHERE status = 'open'");
  return rows[0]?.n ?? 0;
}

/** Failed and rejected messages for the dashboard's detail page: ids, times and issue codes and paths, never diagnostics. */
export async function failedMessages(sql: Sql, filter: { source?: string; status?: 'rejected' | 'failed'; limit: number }): Promise<Array<{
  id: string; source: string; status: string; receivedAt: string; updatedAt: string; attempts: number; issues: Array<{ code: string; expression: string[] }>;
}>> {
  const { rows } = await sql.query<{ id: string; source: string; status: string; received_at: string; updated_at: string; attempts: number; issues: Array<{ code: string | null; expression: string[] | null }> }>(
    `SELECT id, source, status, received_at, updated_at, attempts,
       COALESCE((SELECT jsonb_agg(jsonb_build_object('code', i->'details'->'coding'->0->>'code', 'expression', i->'expression'))
                 FROM jsonb_array_elements(COALESCE(outcome->'issue', '[]'::jsonb)) i), '[]'::jsonb) AS issues
     FROM inbound_message
     WHERE status = ANY($1::text[]) AND ($2::text IS NULL OR source = $2)
     ORDER BY received_at DESC LIMIT $3`,
    [filter.status ? [filter.status] : ['rejected', 'failed'], filter.source ?? null, filter.limit]);
  return rows.map((r) => ({
    id: r.id, source: r.source, status: r.status, receivedAt: r.received_at, updatedAt: r.updated_at, attempts: r.attempts,
    issues: r.issues.map((i) => ({ code: i.code ?? 'unknown', expression: i.expression ?? [] })),
  }));
}

/** Receipt of the newest message, received by `before`, behind any of `refs` (`Type/id`): the ingest end of ingest → Flag. */
export async function newestEvidenceReceipt(sql: Sql, refs: readonly string[], before: string): Promise<string | null> {
  return (await newestEvidenceReceipts(sql, [refs], before))[0]!;
}

/** {@link newestEvidenceReceipt} for several Flags' evidence in one statement; in the order given. */
export async function newestEvidenceReceipts(sql: Sql, evidence: ReadonlyArray<readonly string[]>, before: string): Promise<Array<string | null>> {
  const rows = evidence.flatMap((refs, g) => refs.map((r) => r.split('/')).filter((p) => p.length === 2).map((p) => [g, p[0]!, p[1]!] as const));
  const out: Array<string | null> = evidence.map(() => null);
  if (rows.length === 0) return out;
  const { rows: found } = await sql.query<{ g: number; at: string | null }>(
    `SELECT e.g, max(${newestReceiptOfR('$4::timestamptz')}) AS at
     FROM unnest($1::int[], $2::text[], $3::text[]) AS e(g, t, i)
     JOIN resource r ON r.res_type = e.t AND r.id = e.i GROUP BY e.g`, [rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2]), before]);
  for (const r of found) out[r.g] = r.at;
  return out;
}
