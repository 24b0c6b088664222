import { localIdSystem, SYSTEM } from '../../src/fhir/canonical.js';
import type { Identifier, Reference } from '../../src/fhir/types.js';
import type { MappingContext } from '../../src/mapping/context.js';
import { deterministicId, deterministicIdsUnder } from '../../src/mapping/ids.js';
import { patientKey, scopeKey } from './identity.js';
import type { GpHl7Record, PersonIds } from './record.js';

/** An ODS code: an NHS trust or site (R…), or a GP practice (A81001). */
const ODS_CODE = /^(R[A-Z0-9]{2}([A-Z0-9]{2})?|[A-Z]\d{5})$/;

/**
 * What every part of one message's mapping shares: the deterministic ids of its people
 * and of what it produced, and references to the subject and the sender.
 */
export class Hl7Scope {
  readonly facility: string;
  readonly scope: string;
  readonly patientId: string;
  /** An id for something this record produced: unique to the record, so records never take over each other's resources. */
  readonly id: (...parts: Array<string | number>) => string;
  private readonly patientRef: string;
  private readonly facilityIsOds: boolean;
  private underPatient: ((...parts: Array<string | number>) => string) | undefined;

  constructor(readonly record: GpHl7Record, readonly ctx: MappingContext) {
    this.facility = record.header.sendingFacility;
    this.scope = scopeKey(record);
    this.patientId = personId(record.patient.ids);
    // The prefix is escaped and joined once per message (the scope key is itself `|`-joined).
    this.id = deterministicIdsUnder('gp-hl7v2', this.facility, this.scope);
    this.patientRef = `Patient/${this.patientId}`;
    this.facilityIsOds = ODS_CODE.test(this.facility);
  }

  /** An id for something about the patient at this sender, whatever message carries it (a relationship, a visit). */
  patientScopedId(...parts: Array<string | number>): string {
    this.underPatient ??= deterministicIdsUnder('gp-hl7v2', this.facility, 'patient', patientKey(this.record.patient.ids));
    return this.underPatient(...parts);
  }

  /** A fresh Reference on each call: resources never share one. */
  get patient(): Reference {
    return { reference: this.patientRef };
  }

  /**
   * The sender as an Organization reference: by ODS code when MSH-4 looks like one
   * (tested once per message), else by name only.
   */
  get organisation(): Reference {
    const f = this.facility;
    if (this.facilityIsOds) return { type: 'Organization', identifier: { system: SYSTEM.odsOrganisation, value: f } };
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
  const out: Identifier[] = [];
  if (ids.nhsNumber) out.push({ system: SYSTEM.nhsNumber, value: ids.nhsNumber });
  for (const l of ids.local) out.push({ system: localIdSystem(l.authority, 'patient'), value: l.value });
  return out;
}

export function isIdentified(ids: PersonIds): boolean {
  return ids.nhsNumber !== undefined || ids.local.length > 0;
}
