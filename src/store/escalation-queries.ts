import { EXT, SYSTEM } from '../fhir/canonical.js';
import type { Flag } from '../fhir/types.js';
import type { Sql } from './db.js';

/**
 * The escalation sweep's two questions, asked of the store one batch of Flag ids at a time
 * (in primary-key order), so the sweep's memory and each statement stay bounded however many
 * alerts are active. The sweep used to load every active Flag at once and ask, one query per
 * Flag, whether anyone had seen it: at ~60,000 active alerts that exhausted the worker's heap
 * (bench/README.md, Profile findings 15). Each check is a per-row index lookup (LATERAL …
 * LIMIT 1), never a join the planner could turn into a scan per row.
 */
const HIGH_PRIORITY = JSON.stringify([{ url: EXT.flagPriority, valueCodeableConcept: { coding: [{ code: 'PH' }] } }]);
const ESCALATES = `${SYSTEM.flag}/escalates`;

/** The next `limit` Flag ids after `after`, in id order: one batch of the sweep. */
export async function flagIdsAfter(sql: Sql, after: string, limit: number): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    "SELECT id FROM resource WHERE res_type = 'Flag' AND id > $1 ORDER BY id LIMIT $2", [after, limit]);
  return rows.map((r) => r.id);
}

/** Of these Flags, Cradle's own active high-priority alerts raised before `cutoff`, seen by nobody and not yet escalated. */
export async function overdueUnseenFlags(sql: Sql, cutoff: string, ids: readonly string[]): Promise<Flag[]> {
  const { rows } = await sql.query<{ content: Flag }>(
    `SELECT r.content FROM resource r
     LEFT JOIN LATERAL (SELECT 1 AS active FROM search_token t JOIN resource e ON e.res_type = t.res_type AND e.id = t.id
                        WHERE t.res_type = 'Flag' AND t.param = 'identifier' AND t.code = r.id AND t.system = $5
                          AND NOT e.deleted AND e.content->>'status' = 'active' LIMIT 1) esc ON true
     LEFT JOIN LATERAL (SELECT 1 AS seen FROM alert_state a WHERE a.flag_id = r.id AND a.seen_at IS NOT NULL LIMIT 1) st ON true
     LEFT JOIN LATERAL (SELECT 1 AS own FROM search_token t WHERE t.res_type = 'Flag' AND t.id = r.id AND t.param = 'identifier' AND t.system = $4 LIMIT 1) ours ON true
     WHERE r.res_type = 'Flag' AND r.id = ANY($1::text[]) AND NOT r.deleted
       AND r.content->>'status' = 'active' AND r.content #>> '{period,start}' < $2
       AND r.content->'extension' @> $3::jsonb
       AND NOT (r.content->'code'->'coding' @> '[{"code": "alert-not-seen"}]'::jsonb)
       AND ours.own IS NOT NULL AND st.seen IS NULL AND esc.active IS NULL
     ORDER BY r.id`,
    [[...ids], cutoff, HIGH_PRIORITY, SYSTEM.flag, ESCALATES]);
  return rows.map((r) => r.content);
}

/**
 * Of these Flags, the active escalations whose alert no longer qualifies — seen, ended, gone,
 * no longer high priority, or raised again since `cutoff` — each of which should stand down.
 */
export async function escalationsToStandDown(sql: Sql, cutoff: string, ids: readonly string[]): Promise<Flag[]> {
  const { rows } = await sql.query<{ content: Flag }>(
    `SELECT e.content FROM resource e
     JOIN search_token t ON t.res_type = e.res_type AND t.id = e.id AND t.param = 'identifier' AND t.system = $2
     LEFT JOIN resource o ON o.res_type = 'Flag' AND o.id = t.code AND NOT o.deleted
     LEFT JOIN LATERAL (SELECT 1 AS seen FROM alert_state a WHERE a.flag_id = o.id AND a.seen_at IS NOT NULL LIMIT 1) st ON true
     WHERE e.res_type = 'Flag' AND e.id = ANY($1::text[]) AND NOT e.deleted AND e.content->>'status' = 'active'
       AND (o.id IS NULL OR o.content->>'status' <> 'active' OR NOT (o.content->'extension' @> $3::jsonb)
            OR COALESCE(o.content #>> '{period,start}', $4) >= $4 OR st.seen IS NOT NULL)
     ORDER BY e.id`,
    [[...ids], ESCALATES, HIGH_PRIORITY, cutoff]);
  return rows.map((r) => r.content);
}
