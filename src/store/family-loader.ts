import { SYSTEM } from '../fhir/canonical.js';
import type { AnyResource, DetectedIssue, Flag, Patient } from '../fhir/types.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import type { Sql } from './db.js';
import type { FamilyStore } from './family-store.js';

/**
 * Loads a family picture: its members' Patients and every current resource about any of
 * them (found through the `patient` search index), with Cradle's own Flags and
 * DetectedIssues separated out. Audit and provenance records are not facts and stay out.
 */
export async function loadFamilyPicture(sql: Sql, families: FamilyStore, familyKey: string, asOf: string): Promise<FamilyPicture> {
  const edges = await families.edges(familyKey, sql);
  const members = [...new Map(edges.map((e) => [`${e.personId}|${e.role}`, { personId: e.personId, role: e.role }])).values()];
  const ids = [...new Set([familyKey, ...members.map((m) => m.personId)])];
  // The members' Patients, and whatever any resource's `patient` points at them: two index
  // lookups (search_reference_target, the primary key), never a scan of the store.
  const { rows } = await sql.query<{ content: AnyResource }>(
    `SELECT r.content FROM resource r
     WHERE NOT r.deleted AND r.res_type NOT IN ('AuditEvent', 'Provenance') AND (r.res_type, r.id) IN (
       SELECT 'Patient', unnest($1::text[])
       UNION
       SELECT s.res_type, s.id FROM search_reference s WHERE s.target = ANY($2::text[]) AND s.param = 'patient')
     ORDER BY r.res_type, r.id`, [ids, ids.map((id) => `Patient/${id}`)]);
  const patients = new Map<string, Patient>();
  const resources: AnyResource[] = [];
  const flags: Flag[] = [];
  const detectedIssues: DetectedIssue[] = [];
  for (const { content } of rows) {
    if (content.resourceType === 'Patient') patients.set(content.id!, content);
    else if (content.resourceType === 'Flag' && content.identifier?.some((i) => i.system === SYSTEM.flag)) flags.push(content);
    else if (content.resourceType === 'DetectedIssue' && content.identifier?.some((i) => i.system === SYSTEM.detectedIssue)) detectedIssues.push(content);
    else resources.push(content);
  }
  return { key: familyKey, asOf, members, edges, patients, resources, flags, detectedIssues };
}
