import { localIdSystem, SYSTEM } from '../../src/fhir/canonical.js';
import type { Identifier, Reference } from '../../src/fhir/types.js';
import type { MappingContext } from '../../src/mapping/context.js';
import { deterministicId } from '../../src/mapping/ids.js';
import { patientKey, scopeKey } from './identity.js';
import type { GpHl7Record, PersonIds } from './record.js';

/**
 * What every part of one message's mapping shares: the deterministic ids of its people
 * and of what it produced, and references to the subject and the sender.
 */
export class Hl7Scope {
  readonly facility: string;
  readonly scope: string;
  readonly patientId: string;

  constructor(readonly record: GpHl7Record, readonly ctx: MappingContext) {
    this.facility = record.header.sendingFacility;
    this.scope = scopeKey(record);
    this.patientId = personId(record.patient.ids);
  }

  /** An id for something this record produced: unique to the record, so records never take over each other's resources. */
  id(...parts: Array<string | number>): string {
    return deterministicId('gp-hl7v2', this.facility, this.scope, ...parts);
  }

  /** An id for something about the patient at this sender, whatever message carries it (a relationship, a visit). */
  patientScopedId(...parts: Array<string | number>): string {
    return deterministicId('gp-hl7v2', this.facility, 'patient', patientKey(this.record.patient.ids), ...parts);
  }

  get patient(): Reference {
    return { reference: `Patient/${this.patientId}` };
  }

  /**
   * The sender as an Organization reference: by ODS code when MSH-4 looks like one (an
   * NHS trust or site, R…; a GP practice, A81001), else by name only.
   */
  get organisation(): Reference {
    const f = this.facility;
    if (/^(R[A-Z0-9]{2}([A-Z0-9]{2})?|[A-Z]\d{5})$/.test(f)) return { type: 'Organization', identifier: { system: SYSTEM.odsOrganisation, value: f } };
    return { type: 'Organization', display: f };
  }
}

/** A person's id before identity linking: from the NHS number, else the first local id (the linker then merges by identifier). */
export function personId(ids: PersonIds): string {
  if (ids.nhsNumber) return deterministicId('person', 'nhs', ids.nhsNumber);
  const local = ids.local[0];
  return local ? deterministicId('person', 'local', local.authority, 'patient', local.value) : deterministicId('person', 'unidentified');
}

/** NHS number (UK Core slice) first, then local ids in the sender's order. */
export function identifiers(ids: PersonIds): Identifier[] {
  return [
    ...(ids.nhsNumber ? [{ system: SYSTEM.nhsNumber, value: ids.nhsNumber }] : []),
    ...ids.local.map((l) => ({ system: localIdSystem(l.authority, 'patient'), value: l.value })),
  ];
}

export function isIdentified(ids: PersonIds): boolean {
  return ids.nhsNumber !== undefined || ids.local.length > 0;
}
