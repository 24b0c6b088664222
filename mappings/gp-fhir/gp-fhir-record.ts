import { SYSTEM } from '../../src/fhir/canonical.js';
import type { AnyResource, Bundle, Identifier, Patient, RelatedPerson } from '../../src/fhir/types.js';
import { transactionBundle } from '../../src/mapping/bundle.js';
import type { MappingContext } from '../../src/mapping/context.js';
import { deterministicId } from '../../src/mapping/ids.js';
import { messageProvenance } from '../../src/mapping/provenance.js';
import { bestIdentifier, rehome, type BundleItem } from '../../src/mapping/rehome.js';
import { identifierKey, KEPT_TYPES, type GpFhirRecord } from './read-bundle.js';

/**
 * Identifiers that do not identify a person in health or social care, or are sensitive and
 * of no use to Cradle: social security numbers, driving licences, passports (Synthea and US
 * systems send them). By system, or by HL7 v2 table 0203 type code.
 */
const DROPPED_ID_SYSTEMS = new Set(['http://hl7.org/fhir/sid/us-ssn']);
const DROPPED_ID_TYPES = new Set(['SS', 'SB', 'DL', 'PPN', 'TAX']);

/**
 * A GP FHIR record → Cradle's transaction Bundle: Patients, RelatedPersons, Conditions,
 * Observations, Encounters and Appointments re-homed by business identifier, with
 * references inside the Bundle resolved to the new ids and everything else read past.
 */
export function mapGpFhirRecord(record: GpFhirRecord, ctx: MappingContext): Bundle {
  const resources = rehome(record.items, {
    keep: (i) => KEPT_TYPES.has(i.resource.resourceType),
    idFor: (i, shared) => idFor(record, i, shared),
  }).map(withoutSensitiveIdentifiers);
  const author = record.source === '-' ? { display: 'unnamed GP system' } : { display: record.source };
  return transactionBundle([...resources, messageProvenance(ctx, resources, author, `record of ${record.patientKey.split('|')[0]} patient`)]);
}

/** The record's key: one GP record per patient per sending system. */
export function gpFhirKey(record: GpFhirRecord): string {
  return `gp-fhir|${record.source}|${record.patientKey}`;
}

function idFor(record: GpFhirRecord, item: BundleItem, shared: boolean): string {
  const r = item.resource;
  if (r.resourceType === 'Patient') {
    const [system, value] = identifierKey(r as Patient).split(/\|(.*)/s) as [string, string];
    return system === SYSTEM.nhsNumber ? deterministicId('person', 'nhs', value) : deterministicId('person', 'identifier', system, value);
  }
  const business = shared ? undefined : bestIdentifier(r as { identifier?: Identifier[] });
  // Without a business identifier, the sender's entry id is stable for this sender's record: it scopes the id, it is not kept.
  const local = business ? ['identifier', business.system!, business.value!] : ['entry', item.fullUrl ?? `${r.resourceType}/${r.id ?? item.index}`];
  return deterministicId('gp-fhir', gpFhirKey(record), r.resourceType, ...local);
}

function withoutSensitiveIdentifiers(r: AnyResource): AnyResource {
  if (r.resourceType !== 'Patient' && r.resourceType !== 'RelatedPerson') return r;
  const person = r as Patient | RelatedPerson;
  const kept = (person.identifier ?? []).filter((i) => !DROPPED_ID_SYSTEMS.has(i.system ?? '')
    && !(i.type?.coding ?? []).some((c) => DROPPED_ID_TYPES.has(c.code ?? '')));
  const { identifier: _i, ...rest } = person;
  return (kept.length > 0 ? { ...rest, identifier: kept } : rest) as AnyResource;
}
