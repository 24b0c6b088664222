import type { CodeableConcept, Coding, Identifier, Reference } from './types.js';

/**
 * The search parameters Cradle indexes, per resource type. Extraction is plain code, not
 * a FHIRPath engine: the list is short and each path is the one in the R4 spec's
 * SearchParameter definition (noted beside it). `/fhir/metadata` is built from this table.
 */
export type TokenValue = { system: string; code: string };
export type SearchParamDef =
  | { name: string; type: 'token'; documentation: string; extract: (r: Res) => TokenValue[] }
  | { name: string; type: 'reference'; documentation: string; target: string[]; extract: (r: Res) => string[] };

// Resources arrive as parsed JSON; extraction reads them structurally.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Res = Record<string, any>;

const asArray = <T>(v: T | T[] | undefined | null): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

export const codings = (cc: CodeableConcept | CodeableConcept[] | undefined): TokenValue[] =>
  asArray(cc).flatMap((c) => asArray(c.coding)).filter((c: Coding) => c.code).map((c: Coding) => ({ system: c.system ?? '', code: c.code! }));
const identifiers = (ids: Identifier[] | undefined): TokenValue[] =>
  asArray(ids).filter((i) => i.value).map((i) => ({ system: i.system ?? '', code: i.value! }));
const code = (v: unknown): TokenValue[] => (typeof v === 'string' ? [{ system: '', code: v }] : []);
const refs = (...rs: Array<Reference | Reference[] | undefined>): string[] =>
  rs.flatMap((r) => asArray(r)).map((r) => r?.reference).filter((r): r is string => typeof r === 'string' && /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(r));
const patientRefs = (...rs: Array<Reference | Reference[] | undefined>): string[] => refs(...rs).filter((r) => r.startsWith('Patient/'));

const identifier: SearchParamDef = { name: 'identifier', type: 'token', documentation: 'A business identifier (system|value)', extract: (r) => identifiers(r.identifier) };
const status: SearchParamDef = { name: 'status', type: 'token', documentation: 'Status', extract: (r) => code(r.status) };
const subjectPatient = (path: (r: Res) => Reference | Reference[] | undefined): SearchParamDef =>
  ({ name: 'patient', type: 'reference', target: ['Patient'], documentation: 'The patient the resource is about', extract: (r) => patientRefs(path(r)) });
const subject: SearchParamDef = { name: 'subject', type: 'reference', target: ['Patient', 'Group'], documentation: 'The subject', extract: (r) => refs(r.subject) };
const codeParam = (path: (r: Res) => CodeableConcept | CodeableConcept[] | undefined, documentation = 'Code'): SearchParamDef =>
  ({ name: 'code', type: 'token', documentation, extract: (r) => codings(path(r)) });
const category: SearchParamDef = { name: 'category', type: 'token', documentation: 'Category', extract: (r) => codings(r.category) };

export const SEARCH_PARAMS: Readonly<Record<string, readonly SearchParamDef[]>> = {
  Patient: [identifier,
    { name: 'link', type: 'reference', target: ['Patient', 'RelatedPerson'], documentation: 'Linked patients or related persons', extract: (r) => refs(asArray(r.link).map((l: Res) => l.other)) },
    { name: 'general-practitioner', type: 'reference', target: ['Organization'], documentation: 'Registered practice (by reference)', extract: (r) => refs(r.generalPractitioner) }],
  RelatedPerson: [identifier, subjectPatient((r) => r.patient),
    { name: 'relationship', type: 'token', documentation: 'Relationship to the patient', extract: (r) => codings(r.relationship) }],
  // Flag.subject (R4 Flag-patient: Flag.subject.where(resolve() is Patient))
  Flag: [identifier, status, subjectPatient((r) => r.subject), subject, codeParam((r) => r.code, 'Rule id (safeguarding-rule CodeSystem)'), category],
  DetectedIssue: [identifier, status, subjectPatient((r) => r.patient), codeParam((r) => r.code),
    { name: 'implicated', type: 'reference', target: ['Any'], documentation: 'Evidence implicated', extract: (r) => refs(r.implicated) }],
  Observation: [identifier, status, subjectPatient((r) => r.subject), subject, codeParam((r) => r.code), category,
    { name: 'encounter', type: 'reference', target: ['Encounter'], documentation: 'Encounter', extract: (r) => refs(r.encounter) }],
  Condition: [identifier, subjectPatient((r) => r.subject), subject, codeParam((r) => r.code), category,
    { name: 'clinical-status', type: 'token', documentation: 'Clinical status', extract: (r) => codings(r.clinicalStatus) }],
  Encounter: [identifier, status, subjectPatient((r) => r.subject), subject,
    { name: 'type', type: 'token', documentation: 'Encounter type', extract: (r) => codings(r.type) },
    { name: 'episode-of-care', type: 'reference', target: ['EpisodeOfCare'], documentation: 'Episode of care', extract: (r) => refs(r.episodeOfCare) }],
  Appointment: [identifier, status, subjectPatient((r) => asArray(r.participant).map((p: Res) => p.actor))],
  EpisodeOfCare: [identifier, status, subjectPatient((r) => r.patient),
    { name: 'type', type: 'token', documentation: 'Episode type', extract: (r) => codings(r.type) }],
  ServiceRequest: [identifier, status, subjectPatient((r) => r.subject), subject, codeParam((r) => r.code)],
  Provenance: [{ name: 'target', type: 'reference', target: ['Any'], documentation: 'Resources this provenance covers', extract: (r) => refs(r.target) },
    subjectPatient((r) => r.target)],
  // The family graph (src/identity/family-group.ts): `member` and `patient` find a person's family.
  Group: [identifier,
    { name: 'member', type: 'reference', target: ['Patient'], documentation: 'A member of the family', extract: (r) => refs(asArray(r.member).map((m: Res) => m.entity)) },
    subjectPatient((r) => asArray(r.member).map((m: Res) => m.entity))],
  AuditEvent: [
    { name: 'type', type: 'token', documentation: 'Event type', extract: (r) => codings(r.type ? [{ coding: [r.type] }] : undefined) },
    { name: 'subtype', type: 'token', documentation: 'Event subtype', extract: (r) => codings(asArray(r.subtype).map((c: Coding) => ({ coding: [c] }))) },
    { name: 'outcome', type: 'token', documentation: 'Outcome code', extract: (r) => code(r.outcome) },
    { name: 'agent', type: 'token', documentation: 'Who (client or recipient identifier)', extract: (r) => identifiers(asArray(r.agent).map((a: Res) => a.who?.identifier).filter(Boolean)) },
    { name: 'entity', type: 'reference', target: ['Any'], documentation: 'Resources involved', extract: (r) => refs(asArray(r.entity).map((e: Res) => e.what)) },
    subjectPatient((r) => asArray(r.entity).map((e: Res) => e.what))],
};

export function searchParam(type: string, name: string): SearchParamDef | undefined {
  return SEARCH_PARAMS[type]?.find((p) => p.name === name);
}

export interface ExtractedIndex {
  tokens: Array<{ param: string; system: string; code: string }>;
  references: Array<{ param: string; target: string }>;
}

export function extractIndex(resource: Res): ExtractedIndex {
  const out: ExtractedIndex = { tokens: [], references: [] };
  for (const def of SEARCH_PARAMS[resource.resourceType as string] ?? []) {
    if (def.type === 'token') {
      for (const t of def.extract(resource)) out.tokens.push({ param: def.name, system: t.system, code: t.code });
    } else {
      for (const target of new Set(def.extract(resource))) out.references.push({ param: def.name, target });
    }
  }
  return out;
}
