import type { Sql } from './db.js';

/**
 * PostgreSQL settings Cradle's store relies on but does not own: the deploying organisation's
 * database administrator sets them. Autovacuum (driven by `track_counts`) keeps the planner's
 * statistics current and reclaims the rows every update leaves behind; with it off — as on
 * some CI images — queries are planned without statistics and the update-heavy tables
 * (work items, deliveries, alert states, resources) bloat as the store grows.
 */
const EXPECTED: ReadonlyArray<{ name: string; value: string; why: string }> = [
  { name: 'autovacuum', value: 'on', why: 'Cradle\'s tables will never be analysed or vacuumed automatically: plans degrade and tables bloat as the store grows. Turn it on, or schedule VACUUM ANALYZE' },
  { name: 'track_counts', value: 'on', why: 'autovacuum cannot tell which tables need it. Turn it on' },
];

export async function readPostgresSettings(sql: Sql): Promise<Map<string, string>> {
  const { rows } = await sql.query<{ name: string; setting: string }>(
    'SELECT name, setting FROM pg_settings WHERE name = ANY($1::text[])', [EXPECTED.map((e) => e.name)]);
  return new Map(rows.map((r) => [r.name, r.setting]));
}

/** One warning per setting that is not as the store needs it (a setting the server does not report is not judged). */
export function postgresSettingWarnings(settings: ReadonlyMap<string, string>): string[] {
  return EXPECTED.filter((e) => settings.has(e.name) && settings.get(e.name) !== e.value)
    .map((e) => `PostgreSQL ${e.name} is ${settings.get(e.name)}: ${e.why}`);
}
