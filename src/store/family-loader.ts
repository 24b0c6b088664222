import { SYSTEM } from '../fhir/canonical.js';
import type { AnyResource, DetectedIssue, Flag, Patient } from '../fhir/types.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import type { Sql } from './db.js';
import type { FamilyEdge, FamilyStore } from './family-store.js';

/**
 * Loads a family picture: its members' Patients and every current resource about any of
 * them (found through the `patient` search index), with Cradle's own Flags and
 * DetectedIssues separated out. Audit and provenance records are not facts and stay out.
 */
export async function loadFamilyPicture(sql: Sql, families: FamilyStore, familyKey: string, asOf: string): Promise<FamilyPicture> {
  return (await loadFamilyPictures(sql, families, [familyKey], asOf)).get(familyKey)!;
}

/**
 * {@link loadFamilyPicture} for several families in three statements whatever their number
 * (edges, Patients, facts), as a batch of assess or deliver jobs needs them. A resource
 * about people of two families is read once and belongs to both pictures.
 */
export async function loadFamilyPictures(sql: Sql, families: FamilyStore, familyKeys: readonly string[], asOf: string): Promise<Map<string, FamilyPicture>> {
  const edges = await families.edgesOf(familyKeys, sql);
  // Each family's people: its key (the mother) and every member.
  const people = new Map([...edges].map(([key, list]) => [key, new Set([key, ...list.map((e) => e.personId)])]));
  const ids = [...new Set([...people.values()].flatMap((s) => [...s]))];
  const facts = await factsAbout(sql, ids);
  const out = new Map<string, FamilyPicture>();
  for (const [key, members] of people) out.set(key, picture(key, edges.get(key)!, facts.filter((f) => f.about.some((p) => members.has(p))), asOf));
  return out;
}

interface Fact { content: AnyResource; about: string[] }

/**
 * The Patients with these ids, and every resource whose `patient` points at one of them:
 * two index lookups (the primary key, search_reference_target), never a scan of the store.
 * In type and id order, as the rules have always seen them.
 */
async function factsAbout(sql: Sql, personIds: readonly string[]): Promise<Fact[]> {
  if (personIds.length === 0) return [];
  const { rows } = await sql.query<{ content: AnyResource; about: string[] }>(
    `SELECT r.content, ARRAY[r.id] AS about, r.res_type, r.id FROM resource r
     WHERE r.res_type = 'Patient' AND r.id = ANY($1::text[]) AND NOT r.deleted
     UNION ALL
     SELECT r.content, array_agg(substr(s.target, 9)) AS about, r.res_type, r.id FROM search_reference s
     JOIN resource r ON r.res_type = s.res_type AND r.id = s.id
     WHERE s.target = ANY($2::text[]) AND s.param = 'patient' AND NOT r.deleted AND r.res_type NOT IN ('AuditEvent', 'Provenance')
     GROUP BY r.res_type, r.id
     ORDER BY res_type, id`, [[...personIds], personIds.map((id) => `Patient/${id}`)]);
  return rows.map((r) => ({ content: r.content, about: r.about }));
}

function picture(key: string, edges: FamilyEdge[], facts: readonly Fact[], asOf: string): FamilyPicture {
  const members = [...new Map(edges.map((e) => [`${e.personId}|${e.role}`, { personId: e.personId, role: e.role }])).values()];
  const patients = new Map<string, Patient>();
  const resources: AnyResource[] = [];
  const flags: Flag[] = [];
  const detectedIssues: DetectedIssue[] = [];
  for (const { content } of facts) {
    if (content.resourceType === 'Patient') patients.set(content.id!, content);
    else if (content.resourceType === 'Flag' && content.identifier?.some((i) => i.system === SYSTEM.flag)) flags.push(content);
    else if (content.resourceType === 'DetectedIssue' && content.identifier?.some((i) => i.system === SYSTEM.detectedIssue)) detectedIssues.push(content);
    else resources.push(content);
  }
  return { key, asOf, members, edges, patients, resources, flags, detectedIssues };
}
