import { SYSTEM } from '../../src/fhir/canonical.js';
import { CradleError, type Issue } from '../../src/fhir/outcome.js';
import type { AnyResource, Bundle, Identifier, Patient, Reference } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validator.js';
import { isValidNhsNumber } from '../../src/identity/nhs-number.js';
import { parseJson } from '../../src/ingest/json-contract.js';
import type { BundleItem } from '../../src/mapping/rehome.js';

/** Bundle types that carry a patient's record; `message` Bundles are NEMS's, history and responses are not records. */
export const RECORD_BUNDLE_TYPES = ['collection', 'searchset', 'transaction', 'batch', 'document'] as const;

/** What gp-fhir keeps. Flags and AllergyIntolerances are read past on purpose (README, "gp-fhir"). */
export const KEPT_TYPES = new Set(['Patient', 'RelatedPerson', 'Condition', 'Observation', 'Encounter', 'Appointment']);

export interface GpFhirRecord {
  items: BundleItem[];
  /** Who the record is from: Bundle.meta.source, else the document's custodian, else the patient's managing organisation. */
  source: string;
  /** The first Patient: the record's subject. */
  patientKey: string;
  /** Bundle.timestamp (else meta.lastUpdated) as `YYYYMMDDHHMMSS` UTC; null when neither is sent. */
  version: number | null;
}

/**
 * Bytes → a checked GP FHIR record: JSON; a Bundle of a record type; valid against the
 * official R4 schema (every issue, FHIRPath to the field); and Cradle's contract — a
 * Patient with a business identifier, NHS numbers that pass Modulus 11, no DELETE
 * entries, and every kept fact about a Patient in the Bundle (a fact about someone Cradle
 * cannot identify cannot be placed).
 */
export function readGpFhirBundle(body: Buffer): GpFhirRecord {
  const value = parseJson(body) as { resourceType?: unknown };
  if (value?.resourceType !== 'Bundle') {
    throw new CradleError('CRADLE_INPUT_INVALID', { expression: ['Bundle'], diagnostics: 'the body must be a FHIR R4 Bundle' });
  }
  const schemaIssues = validateResource(value);
  if (schemaIssues.length > 0) throw CradleError.of(schemaIssues);
  const bundle = value as Bundle;
  const issues: Issue[] = [];
  if (!(RECORD_BUNDLE_TYPES as readonly string[]).includes(bundle.type)) {
    issues.push({ code: 'CRADLE_INPUT_INVALID', expression: ['Bundle.type'], diagnostics: `Bundle.type must be one of ${RECORD_BUNDLE_TYPES.join(', ')} (a NEMS message goes to the nems source)` });
  }
  const items = (bundle.entry ?? []).flatMap((e, index): BundleItem[] => {
    if (e.request?.method === 'DELETE') {
      issues.push({ code: 'CRADLE_INPUT_INVALID', expression: [`Bundle.entry[${index}].request.method`], diagnostics: 'DELETE entries are not read: send the whole record; what it no longer holds is retired' });
    }
    if (!e.resource || e.search?.mode === 'outcome') return [];
    return [{ index, ...(e.fullUrl ? { fullUrl: e.fullUrl } : {}), resource: e.resource as AnyResource }];
  });
  const patients = items.filter((i) => i.resource.resourceType === 'Patient');
  if (patients.length === 0) issues.push({ code: 'CRADLE_INPUT_MISSING', expression: ['Bundle.entry'], diagnostics: 'the Bundle holds no Patient: a record must say whose it is' });
  for (const p of patients) issues.push(...patientIssues(p));
  issues.push(...subjectIssues(items));
  if (issues.length > 0) throw CradleError.of(issues);
  return { items, source: sourceOf(bundle, items), patientKey: identifierKey(patients[0]!.resource as Patient), version: versionOf(bundle) };
}

function patientIssues(item: BundleItem): Issue[] {
  const ids = (item.resource as Patient).identifier ?? [];
  const at = `Bundle.entry[${item.index}].resource.identifier`;
  const issues: Issue[] = ids.flatMap((id, j): Issue[] => (id.system === SYSTEM.nhsNumber && !isValidNhsNumber(id.value ?? '')
    ? [{ code: 'CRADLE_NHS_NUMBER_INVALID', expression: [`${at}[${j}].value`], diagnostics: `${at}[${j}].value is not a valid NHS number (10 digits, Modulus 11 check)` }] : []));
  if (!ids.some((i) => i.system && i.value)) issues.push({ code: 'CRADLE_INPUT_MISSING', expression: [at], diagnostics: `${at} needs a business identifier (system and value): Cradle files records by NHS number or the sender's id, never by server id` });
  return issues;
}

/** Each kept fact must be about a Patient in this Bundle. */
function subjectIssues(items: readonly BundleItem[]): Issue[] {
  const patientRefs = new Set(items.filter((i) => i.resource.resourceType === 'Patient')
    .flatMap((i) => [i.fullUrl, `Patient/${i.resource.id}`].filter((x): x is string => !!x)));
  return items.filter((i) => KEPT_TYPES.has(i.resource.resourceType) && i.resource.resourceType !== 'Patient').flatMap((i): Issue[] => {
    const { path, refs } = subjectOf(i.resource);
    const resolves = refs.some((r) => patientRefs.has(r.reference ?? '') || [...patientRefs].some((p) => (r.reference ?? '').endsWith(`/${p}`)));
    return resolves ? [] : [{ code: 'CRADLE_INPUT_INCONSISTENT', expression: [`Bundle.entry[${i.index}].resource.${path}`],
      diagnostics: `Bundle.entry[${i.index}].resource.${path} must refer to a Patient in the Bundle` }];
  });
}

function subjectOf(r: AnyResource): { path: string; refs: Reference[] } {
  const any = r as { subject?: Reference; patient?: Reference; participant?: Array<{ actor?: Reference }> };
  if (r.resourceType === 'RelatedPerson') return { path: 'patient', refs: any.patient ? [any.patient] : [] };
  if (r.resourceType === 'Appointment') return { path: 'participant', refs: (any.participant ?? []).flatMap((p) => (p.actor ? [p.actor] : [])) };
  return { path: 'subject', refs: any.subject ? [any.subject] : [] };
}

export function identifierKey(p: { identifier?: Identifier[] }): string {
  const ids = (p.identifier ?? []).filter((i) => i.system && i.value);
  const nhs = ids.find((i) => i.system === SYSTEM.nhsNumber);
  const id = nhs ?? ids[0]!;
  return `${id.system}|${id.value}`;
}

function sourceOf(bundle: Bundle, items: readonly BundleItem[]): string {
  const composition = items.find((i) => i.resource.resourceType === 'Composition')?.resource as { custodian?: Reference } | undefined;
  const patient = items.find((i) => i.resource.resourceType === 'Patient')?.resource as Patient | undefined;
  return bundle.meta?.source ?? composition?.custodian?.identifier?.value ?? patient?.managingOrganization?.identifier?.value ?? '-';
}

function versionOf(bundle: Bundle): number | null {
  const at = bundle.timestamp ?? bundle.meta?.lastUpdated;
  const ms = at ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(ms)) return null;
  return Number(new Date(ms).toISOString().replace(/\D/g, '').slice(0, 14));
}
