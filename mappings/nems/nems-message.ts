import { SYSTEM } from '../../src/fhir/canonical.js';
import type { Bundle, Identifier, Patient } from '../../src/fhir/types.js';
import { transactionBundle } from '../../src/mapping/bundle.js';
import type { MappingContext } from '../../src/mapping/context.js';
import { deterministicId } from '../../src/mapping/ids.js';
import { messageProvenance } from '../../src/mapping/provenance.js';
import { bestIdentifier, rehome, type BundleItem } from '../../src/mapping/rehome.js';
import { isKept, type NemsRecord } from './read-message.js';

/**
 * A NEMS event → Cradle's transaction Bundle: the R4 conversions of the people and facts it
 * carries, re-homed by business identifier (Patients by NHS number), references resolved.
 * A `delete` event produces nothing but its Provenance, so the pipeline retires what the
 * event it deletes had produced (same key). A change of GP or address is a Patient whose
 * `generalPractitioner` or current address changed: once merged, routing follows it.
 */
export function mapNemsMessage(record: NemsRecord, ctx: MappingContext): Bundle {
  // A delete retracts: nothing is produced, not even a Provenance (R4 requires it a target);
  // the stored message itself records the retraction.
  if (record.action === 'delete') return { resourceType: 'Bundle', type: 'transaction' };
  const resources = rehome(record.items, { keep: (i) => isKept(i.resource), idFor: (i, shared) => idFor(record, i, shared) });
  return transactionBundle([...resources, messageProvenance(ctx, resources, { display: record.publisher }, `${record.event} (${record.action})`)]);
}

function idFor(record: NemsRecord, item: BundleItem, shared: boolean): string {
  const r = item.resource;
  if (r.resourceType === 'Patient') {
    const nhs = (r as Patient).identifier?.find((i) => i.system === SYSTEM.nhsNumber)?.value;
    return deterministicId('person', 'nhs', nhs ?? '');
  }
  const business = shared ? undefined : bestIdentifier(r as { identifier?: Identifier[] });
  const local = business ? ['identifier', business.system!, business.value!] : ['entry', item.fullUrl ?? `${r.resourceType}/${r.id}`];
  return deterministicId('nems', record.key, r.resourceType, ...local);
}
