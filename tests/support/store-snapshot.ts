import type { Runtime } from '../../src/runtime/runtime.js';
import { stableStringify } from '../../src/util/stable-json.js';

/**
 * The store's current FHIR state as comparable text: every live resource except the
 * per-message Provenance and per-read AuditEvent, without meta.versionId/lastUpdated (which
 * count writes and tell time, not content). A family Group (derived by Cradle, not mapped
 * from a source) is compared by who is in it, in what role, on whose word: the order its
 * members were added and the clock time of each addition record processing, not content.
 */
export async function storeSnapshot(rt: Runtime): Promise<string[]> {
  const { rows } = await rt.db.query<{ res_type: string; id: string; content: Record<string, unknown> & { meta?: Record<string, unknown> } }>(
    `SELECT res_type, id, content FROM resource WHERE NOT deleted AND res_type NOT IN ('Provenance', 'AuditEvent') ORDER BY res_type, id`);
  return rows.map((r) => {
    const { versionId: _v, lastUpdated: _l, ...meta } = r.content.meta ?? {};
    const content = r.res_type === 'Group' ? membershipOnly(r.content) : r.content;
    return `${r.res_type}/${r.id} ${stableStringify({ ...content, meta })}`;
  });
}

function membershipOnly(group: Record<string, unknown>): Record<string, unknown> {
  const members = ((group.member ?? []) as Array<Record<string, unknown>>).map(({ period: _p, ...m }) => stableStringify(m)).sort();
  return { ...group, member: members };
}

/** Family members (person ids) of the family keyed by the mother with this NHS number. */
export async function familyOfMother(rt: Runtime, motherNhs: string): Promise<{ mother: string; members: string[] }> {
  const { rows: [mother] } = await rt.db.query<{ id: string }>(
    `SELECT id FROM resource WHERE res_type = 'Patient' AND NOT deleted AND content->'identifier' @> $1::jsonb`,
    [JSON.stringify([{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: motherNhs }])]);
  if (!mother) return { mother: '', members: [] };
  const { rows } = await rt.db.query<{ person_id: string }>('SELECT DISTINCT person_id FROM family_member WHERE family_key = $1', [mother.id]);
  return { mother: mother.id, members: rows.map((r) => r.person_id).sort() };
}

/** The id of the Patient holding this identifier, if any. */
export async function patientIdOf(rt: Runtime, system: string, value: string): Promise<string | undefined> {
  const { rows } = await rt.db.query<{ id: string }>(
    `SELECT id FROM resource WHERE res_type = 'Patient' AND NOT deleted AND content->'identifier' @> $1::jsonb`,
    [JSON.stringify([{ system, value }])]);
  return rows[0]?.id;
}
