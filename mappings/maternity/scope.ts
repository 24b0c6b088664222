import { EXT, localIdSystem, SYSTEM } from '../../src/fhir/canonical.js';
import type { Identifier, Reference } from '../../src/fhir/types.js';
import { deterministicId } from '../../src/mapping/ids.js';
import type { MappingContext } from '../../src/mapping/context.js';
import type { MaternityRecord, Person } from './record.js';

/** How a record's subject strings (`mother`, `baby:B1`…) resolve to FHIR references. */
export interface Subject {
  /** The Patient the fact is about (Condition.subject and the like). */
  patient: Reference;
  /** For a person without a Patient (not identified): the RelatedPerson the fact is about. */
  about?: Reference;
}

/**
 * Everything the mapping parts share for one record: the deterministic ids of its people
 * and pregnancy, and subject resolution. Built once per record.
 */
export class MaternityScope {
  readonly ods: string;
  readonly motherId: string;
  readonly episodeId: string;
  readonly partnerPatientId: string | undefined;
  readonly partnerRelatedPersonId: string | undefined;
  readonly babyIds = new Map<string, string>();
  readonly householdPatientIds = new Map<string, string>();
  readonly householdRelatedPersonIds = new Map<string, string>();

  constructor(readonly record: MaternityRecord, readonly ctx: MappingContext) {
    this.ods = record.organisation.odsCode;
    this.motherId = this.personId(record.mother, 'patient');
    this.episodeId = this.id('pregnancy');
    const partner = record.partner;
    if (partner) {
      this.partnerRelatedPersonId = this.id('related-person', 'partner');
      if (partner.known && (partner.nhsNumber || partner.localId)) this.partnerPatientId = this.personId(partner, 'patient');
    }
    for (const baby of record.babies ?? []) {
      this.babyIds.set(baby.localId, baby.nhsNumber ? deterministicId('person', 'nhs', baby.nhsNumber) : this.id('baby', baby.localId));
    }
    for (const m of record.householdMembers ?? []) {
      this.householdRelatedPersonIds.set(m.localId, this.id('related-person', 'household', m.localId));
      if (m.identified !== false) this.householdPatientIds.set(m.localId, this.personId(m, 'patient'));
    }
  }

  /** A deterministic id for something inside this record. */
  id(...parts: Array<string | number>): string {
    return deterministicId('maternity', this.ods, this.record.recordId, ...parts);
  }

  /** The identifier system for this trust's local ids of one kind. */
  localSystem(kind: string): string {
    return localIdSystem(this.ods, kind);
  }

  /** A person's id: from the NHS number when there is one, else from the trust's local id. */
  personId(person: Person, kind: string): string {
    if (person.nhsNumber) return deterministicId('person', 'nhs', person.nhsNumber);
    if (person.localId) return deterministicId('person', 'local', this.ods, kind, person.localId);
    return this.id('person', kind);
  }

  identifiers(person: Person, kind: string): Identifier[] {
    const ids: Identifier[] = [];
    if (person.nhsNumber) ids.push({ system: SYSTEM.nhsNumber, value: person.nhsNumber });
    if (person.localId) ids.push({ system: localIdSystem(this.ods, kind), value: person.localId });
    return ids;
  }

  /** `{ identifier }`, or nothing when the person has neither an NHS number nor a local id (FHIR JSON has no empty arrays). */
  identifierElement(person: Person, kind: string): { identifier?: Identifier[] } {
    const ids = this.identifiers(person, kind);
    return ids.length > 0 ? { identifier: ids } : {};
  }

  /** Babies' local ids are only unique within the record, so their identifier is scoped to it. */
  babyIdentifiers(baby: { localId: string; nhsNumber?: string }): Identifier[] {
    const ids: Identifier[] = [];
    if (baby.nhsNumber) ids.push({ system: SYSTEM.nhsNumber, value: baby.nhsNumber });
    ids.push({ system: localIdSystem(this.ods, 'baby'), value: `${this.record.recordId}/${baby.localId}` });
    return ids;
  }

  get mother(): Reference {
    return { reference: `Patient/${this.motherId}` };
  }

  get episode(): Reference {
    return { reference: `EpisodeOfCare/${this.episodeId}` };
  }

  get organisation(): Reference {
    return { type: 'Organization', identifier: { system: SYSTEM.odsOrganisation, value: this.ods }, ...(this.record.organisation.name ? { display: this.record.organisation.name } : {}) };
  }

  /** Resolves a subject string. The contract check guarantees it names someone in the record. */
  subject(s: string): Subject {
    if (s === 'mother') return { patient: this.mother };
    if (s === 'partner') {
      if (this.partnerPatientId) return { patient: { reference: `Patient/${this.partnerPatientId}` } };
      return { patient: this.mother, about: { reference: `RelatedPerson/${this.partnerRelatedPersonId}` } };
    }
    const [kind, localId = ''] = s.split(/:(.*)/s, 2) as [string, string?];
    if (kind === 'baby') return { patient: { reference: `Patient/${this.babyIds.get(localId)}` } };
    const patientId = this.householdPatientIds.get(localId);
    if (patientId) return { patient: { reference: `Patient/${patientId}` } };
    return { patient: this.mother, about: { reference: `RelatedPerson/${this.householdRelatedPersonIds.get(localId)}` } };
  }

  /** The workflow-episodeOfCare extension tying a fact to this pregnancy. */
  get episodeExtension() {
    return { url: EXT.workflowEpisodeOfCare, valueReference: this.episode };
  }
}
