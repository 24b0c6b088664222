import { SYSTEM } from '../../src/fhir/canonical.js';
import { CradleError, type Issue } from '../../src/fhir/outcome.js';
import type { AnyResource, Identifier, Patient, Reference } from '../../src/fhir/types.js';
import { validateResource } from '../../src/fhir/validator.js';
import { isValidNhsNumber } from '../../src/identity/nhs-number.js';
import { fhirTreeFromJson, fhirTreeFromXml, type FhirNode } from '../../src/ingest/fhir-tree.js';
import { parseJson } from '../../src/ingest/json-contract.js';
import type { BundleItem } from '../../src/mapping/rehome.js';
import { convertEntry, type Entry } from './convert.js';

/** The NEMS events Cradle reads (MessageHeader.event, https://fhir.nhs.uk/STU3/CodeSystem/EventType-1). */
export const NEMS_EVENTS = ['pds-birth-notification-1', 'nipe-outcome-1', 'pds-change-of-gp-1', 'pds-change-of-address-1',
  'professional-contacts-1', 'pds-death-notification-1', 'pds-record-change-1'] as const;
const MESSAGE_EVENT_TYPE = 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-MessageEventType-1';

export interface NemsRecord {
  event: string;
  /** Extension-MessageEventType-1: `new`, `update` or `delete` (NEMS generic event requirements). */
  action: 'new' | 'update' | 'delete';
  /** What the event is about: its key (see {@link eventKey}). */
  key: string;
  /** MessageHeader.timestamp as `YYYYMMDDHHMMSS` UTC. */
  versionNumber: number;
  /** Who published it: MessageHeader.responsible, else the source endpoint (ASID). */
  publisher: string;
  /** The entries converted to R4 (resources Cradle does not keep as stubs for references). */
  items: BundleItem[];
}

/**
 * A NEMS event message (FHIR STU3 message Bundle, XML or JSON) → checked R4 items. Checks:
 * a `message` Bundle whose first entry is the MessageHeader, an event Cradle reads, a
 * timestamp and focus; every Patient with a valid NHS number (NEMS is keyed on it); the
 * R4 conversion valid against the R4 schema, each issue pointing at the input entry.
 */
export function readNemsMessage(body: Buffer): NemsRecord {
  const bundle = treeOf(body);
  if (bundle.str('type') !== 'message') fail('CRADLE_INPUT_INVALID', 'Bundle.type', 'a NEMS event is a FHIR message Bundle (type message)');
  const entries = bundle.all('entry').flatMap((e, index): Entry[] => {
    const r = e.one('resource')?.resource;
    return r ? [{ index, fullUrl: e.str('fullUrl'), type: r.type, node: r.node }] : [];
  });
  const header = entries[0];
  if (header?.type !== 'MessageHeader' || header.index !== 0) fail('CRADLE_INPUT_INVALID', 'Bundle.entry[0].resource', 'the first entry of a NEMS message is its MessageHeader');
  const event = header.node.one('event');
  const code = event?.str('code') ?? '';
  if (!(NEMS_EVENTS as readonly string[]).includes(code)) {
    fail('CRADLE_MESSAGE_UNSUPPORTED', event?.one('code')?.path ?? `${header.node.path}.event`, `NEMS event ${code || '(none)'} is not read; nems reads ${NEMS_EVENTS.join(', ')}`);
  }
  const timestamp = Date.parse(header.node.str('timestamp') ?? '');
  if (Number.isNaN(timestamp)) fail('CRADLE_INPUT_MISSING', `${header.node.path}.timestamp`, 'MessageHeader.timestamp (with a time zone) orders NEMS events');
  const action = (header.node.extensions(MESSAGE_EVENT_TYPE)[0]?.one('valueCodeableConcept')?.one('coding')?.str('code') ?? 'new') as NemsRecord['action'];
  const items = entries.slice(1).map((e) => convertEntry(e, entries));
  const issues = [...patientIssues(entries, action), ...schemaIssues(items)];
  if (issues.length > 0) throw CradleError.of(issues);
  return {
    event: code, action, items,
    key: `nems|${code}|${eventKey(code, header.node, items)}`,
    versionNumber: Number(new Date(timestamp).toISOString().replace(/\D/g, '').slice(0, 14)),
    publisher: header.node.one('responsible')?.str('display') ?? header.node.one('source')?.str('endpoint') ?? 'NEMS',
  };
}

function treeOf(body: Buffer): FhirNode {
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trimStart().startsWith('<')) {
    const tree = fhirTreeFromXml(text);
    if (tree.path !== 'Bundle') fail('CRADLE_INPUT_INVALID', 'Bundle', 'the body must be a FHIR Bundle');
    return tree;
  }
  const json = parseJson(body) as { resourceType?: unknown };
  if (json?.resourceType !== 'Bundle') fail('CRADLE_INPUT_INVALID', 'Bundle', 'the body must be a FHIR Bundle');
  return fhirTreeFromJson(json);
}

/** NEMS identifies people by NHS number: every Patient must carry a valid one (a delete may carry none). */
function patientIssues(entries: readonly Entry[], action: NemsRecord['action']): Issue[] {
  const patients = entries.filter((e) => e.type === 'Patient');
  const issues: Issue[] = [];
  if (patients.length === 0 && action !== 'delete') issues.push({ code: 'CRADLE_INPUT_MISSING', expression: ['Bundle.entry'], diagnostics: 'the message holds no Patient' });
  for (const e of patients) {
    const ids = e.node.all('identifier').filter((i) => i.str('system') === SYSTEM.nhsNumber);
    if (ids.length === 0) issues.push({ code: 'CRADLE_INPUT_MISSING', expression: [`${e.node.path}.identifier`], diagnostics: `${e.node.path}.identifier: NEMS Patients are identified by NHS number` });
    for (const id of ids) {
      const at = id.one('value')?.path ?? `${id.path}.value`;
      if (!isValidNhsNumber(id.str('value') ?? '')) issues.push({ code: 'CRADLE_NHS_NUMBER_INVALID', expression: [at], diagnostics: `${at} is not a valid NHS number (10 digits, Modulus 11 check)` });
    }
  }
  return issues;
}

/** The R4 conversion of each kept entry, checked against the R4 schema; issues point at the input entry. */
function schemaIssues(items: readonly BundleItem[]): Issue[] {
  return items.filter((i) => isKept(i.resource)).flatMap((i) =>
    validateResource(i.resource).map((issue) => ({
      ...issue,
      expression: (issue.expression ?? []).map((e) => e.replace(/^[A-Za-z]+/, `Bundle.entry[${i.index}].resource`)),
    })));
}

export const KEPT_TYPES = new Set(['Patient', 'RelatedPerson', 'Observation', 'Encounter', 'EpisodeOfCare', 'Procedure', 'CareTeam']);

export function isKept(r: AnyResource): boolean {
  return KEPT_TYPES.has(r.resourceType);
}

/**
 * What a NEMS event is about, so a later `update` or `delete` of the same event replaces
 * it: the baby of a birth notification, the focus resource's business identifier (the
 * NIPE Encounter, the professional-contacts EpisodeOfCare), else the NHS number of the
 * Patient the focus is about.
 */
function eventKey(event: string, header: FhirNode, items: readonly BundleItem[]): string {
  const byUrl = (ref: string | undefined) => items.find((i) => i.fullUrl === ref || `${i.resource.resourceType}/${i.resource.id}` === ref);
  const nhsOf = (p: BundleItem | undefined) => (p?.resource as Patient | undefined)?.identifier?.find((i) => i.system === SYSTEM.nhsNumber)?.value;
  if (event === 'pds-birth-notification-1') {
    const rp = items.find((i) => i.resource.resourceType === 'RelatedPerson')?.resource as { patient?: Reference } | undefined;
    const baby = nhsOf(byUrl(rp?.patient?.reference));
    if (baby) return `nhs|${baby}`;
  }
  const focus = byUrl(header.one('focus')?.str('reference'));
  const subject = (focus?.resource as { subject?: Reference; patient?: Reference } | undefined);
  const business = (focus?.resource as { identifier?: Identifier[] } | undefined)?.identifier?.find((i) => i.system && i.value);
  if (focus && focus.resource.resourceType !== 'Communication' && focus.resource.resourceType !== 'Patient' && business) return `${business.system}|${business.value}`;
  const patient = focus?.resource.resourceType === 'Patient' ? focus : byUrl(subject?.subject?.reference ?? subject?.patient?.reference);
  return `nhs|${nhsOf(patient) ?? ''}`;
}

function fail(code: 'CRADLE_INPUT_INVALID' | 'CRADLE_INPUT_MISSING' | 'CRADLE_MESSAGE_UNSUPPORTED', at: string, diagnostics: string): never {
  throw new CradleError(code, { expression: [at], diagnostics });
}
