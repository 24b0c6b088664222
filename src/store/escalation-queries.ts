import { EXT, SYSTEM } from '../fhir/canonical.js';
import type { Flag } from '../fhir/types.js';
import type { Sql } from './db.js';

/**
 * The escalation sweep's two questions, answered by the store one page at a time (keyset on
 * the Flag id), so the sweep's memory and each statement stay bounded however many alerts
 * are active. The sweep used to load every active Flag at once and ask, one query per Flag,
 * whether anyone had seen it: at ~60,000 active alerts that exhausted the worker's heap
 * (bench/README.md, Profile findings 15).
 */
export interface Page {
  /** Only Flags whose id sorts after this one. */
  after: string;
  limit: number;
}

const HIGH_PRIORITY = JSON.stringify([{ url: EXT.flagPriority, valueCodeableConcept: { coding: [{ code: 'PH' }] } }]);
const ESCALATES = `${SYSTEM.flag}/escalates`;

/** Cradle's own active high-priority alerts raised before `cutoff`, seen by nobody and not yet escalated. */
export async function overdueUnseenFlags(sql: Sql, cutoff: string, page: Page): Promise<Flag[]> {
  const { rows } = await sql.query<{ content: Flag }>(
    `SELECT r.content FROM resource r
     WHERE r.res_type = 'Flag' AND r.id > $1 AND NOT r.deleted
       AND r.content->>'status' = 'active' AND r.content #>> '{period,start}' < $2
       AND r.content->'extension' @> $3::jsonb
       AND NOT (r.content->'code'->'coding' @> '[{"code": "alert-not-seen"}]'::jsonb)
       AND EXISTS (SELECT 1 FROM search_token t WHERE t.res_type = 'Flag' AND t.id = r.id AND t.param = 'identifier' AND t.system = $4)
       AND NOT EXISTS (SELECT 1 FROM alert_state a WHERE a.flag_id = r.id AND a.seen_at IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM search_token t JOIN resource e ON e.res_type = t.res_type AND e.id = t.id
                       WHERE t.res_type = 'Flag' AND t.param = 'identifier' AND t.system = $5 AND t.code = r.id
                         AND NOT e.deleted AND e.content->>'status' = 'active')
     ORDER BY r.id LIMIT $6`,
    [page.after, cutoff, HIGH_PRIORITY, SYSTEM.flag, ESCALATES, page.limit]);
  return rows.map((r) => r.content);
}

/**
 * Active escalations whose alert no longer qualifies — seen, ended, gone, no longer high
 * priority, or raised again since `cutoff` — each of which should stand down.
 */
export async function escalationsToStandDown(sql: Sql, cutoff: string, page: Page): Promise<Flag[]> {
  const { rows } = await sql.query<{ content: Flag }>(
    `SELECT e.content FROM resource e
     JOIN search_token t ON t.res_type = e.res_type AND t.id = e.id AND t.param = 'identifier' AND t.system = $2
     LEFT JOIN resource o ON o.res_type = 'Flag' AND o.id = t.code AND NOT o.deleted
     WHERE e.res_type = 'Flag' AND e.id > $1 AND NOT e.deleted AND e.content->>'status' = 'active'
       AND (o.id IS NULL OR o.content->>'status' <> 'active' OR NOT (o.content->'extension' @> $3::jsonb)
            OR COALESCE(o.content #>> '{period,start}', $4) >= $4
            OR EXISTS (SELECT 1 FROM alert_state a WHERE a.flag_id = o.id AND a.seen_at IS NOT NULL))
     ORDER BY e.id LIMIT $5`,
    [page.after, ESCALATES, HIGH_PRIORITY, cutoff, page.limit]);
  return rows.map((r) => r.content);
}
