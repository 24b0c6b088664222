import type { AnyResource, Bundle } from '../../src/fhir/types.js';
import { transactionBundle } from '../../src/mapping/bundle.js';
import type { MappingContext } from '../../src/mapping/context.js';
import { messageProvenance } from '../../src/mapping/provenance.js';
import { mapAppointment } from './appointment.js';
import { mapClinical } from './clinical.js';
import { mapPeople } from './people.js';
import type { GpHl7Record } from './record.js';
import { Hl7Scope } from './scope.js';

/**
 * A GP HL7 v2 message → a transaction Bundle: the patient (with registered practice and,
 * for A40, the record it replaces), next of kin as RelatedPersons (and Patients when
 * identified), the visit, diagnoses and observations, the appointment, and a Provenance.
 * Pure: ids are deterministic and the only time used is the message's own.
 */
export function mapGpHl7Message(record: GpHl7Record, ctx: MappingContext): Bundle {
  const scope = new Hl7Scope(record, ctx);
  const resources: AnyResource[] = [...mapPeople(scope), ...mapClinical(scope), ...mapAppointment(scope)];
  const { messageType, event, controlId } = record.header;
  resources.push(messageProvenance(ctx, resources, scope.organisation, `${messageType}^${event} ${controlId}`));
  return transactionBundle(resources);
}
