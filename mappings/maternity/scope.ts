import { EXT, localIdSystem, SYSTEM } from '../../src/fhir/canonical.js';
import type { Identifier, Reference } from '../../src/fhir/types.js';
import { deterministicId, deterministicIdsUnder } from '../../src/mapping/ids.js';
import type { MappingContext } from '../../src/mapping/context.js';
import type { MaternityRecord, Person } from './record.js';

/** How a record's subject strings (`mother`, `baby:B1`…) resolve to FHIR references. */
export interface Subject {
  /** The Patient the fact is about (Condition.subject and the like). */
  patient: Reference;
  /** For a person without a Patient (not identified): the RelatedPerson the fact is about. */
  about?: Reference;
}

/** A resolved subject as reference strings; {@link MaternityScope.subject} wraps them in fresh objects. */
interface SubjectRefs {
  patient: string;
  about?: string;
}

/**
 * Everything the mapping parts share for one record: the deterministic ids of its people
 * and pregnancy, and subject resolution. Built once per record.
 *
 * What is asked for many times per record (reference strings, subjects, identifier
 * systems) is worked out once here, but every Reference handed out is a fresh object:
 * resources never share a mutable object, whatever later stages do to one of them.
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
  /** A deterministic id for something inside this record. */
  readonly id: (...parts: Array<string | number>) => string;
  private readonly motherRef: string;
  private readonly episodeRef: string;
  private readonly subjects = new Map<string, SubjectRefs>();
  private readonly localSystems = new Map<string, string>();

  constructor(readonly record: MaternityRecord, readonly ctx: MappingContext) {
    this.ods = record.organisation.odsCode;
    this.id = deterministicIdsUnder('maternity', this.ods, record.recordId);
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
    this.motherRef = `Patient/${this.motherId}`;
    this.episodeRef = `EpisodeOfCare/${this.episodeId}`;
  }

  /** The identifier system for this trust's local ids of one kind. */
  localSystem(kind: string): string {
    let system = this.localSystems.get(kind);
    if (system === undefined) this.localSystems.set(kind, (system = localIdSystem(this.ods, kind)));
    return system;
  }

  /** A person's id: from the NHS number when there is one, else from the trust's local id. */
  personId(person: Person, kind: string): string {
    if (person.nhsNumber) return deterministicId('person', 'nhs', person.nhsNumber);
    if (person.localId) return deterministicId('person', 'local', this.ods, kind, person.localId);
    return this.id('person', kind);
  }

  /** NHS number, then local id; empty for a person with neither (callers then leave `identifier` out: FHIR JSON has no empty arrays). */
  identifiers(person: Person, kind: string): Identifier[] {
    const ids: Identifier[] = [];
    if (person.nhsNumber) ids.push({ system: SYSTEM.nhsNumber, value: person.nhsNumber });
    if (person.localId) ids.push({ system: this.localSystem(kind), value: person.localId });
    return ids;
  }

  /** Babies' local ids are only unique within the record, so their identifier is scoped to it. */
  babyIdentifiers(baby: { localId: string; nhsNumber?: string }): Identifier[] {
    const ids: Identifier[] = [];
    if (baby.nhsNumber) ids.push({ system: SYSTEM.nhsNumber, value: baby.nhsNumber });
    ids.push({ system: this.localSystem('baby'), value: `${this.record.recordId}/${baby.localId}` });
    return ids;
  }

  get mother(): Reference {
    return { reference: this.motherRef };
  }

  get episode(): Reference {
    return { reference: this.episodeRef };
  }

  get organisation(): Reference {
    const identifier = { system: SYSTEM.odsOrganisation, value: this.ods };
    const display = this.record.organisation.name;
    return display ? { type: 'Organization', identifier, display } : { type: 'Organization', identifier };
  }

  /** Resolves a subject string. The contract check guarantees it names someone in the record. */
  subject(s: string): Subject {
    let refs = this.subjects.get(s);
    if (!refs) this.subjects.set(s, (refs = this.resolveSubject(s)));
    return refs.about ? { patient: { reference: refs.patient }, about: { reference: refs.about } } : { patient: { reference: refs.patient } };
  }

  private resolveSubject(s: string): SubjectRefs {
    if (s === 'mother') return { patient: this.motherRef };
    if (s === 'partner') {
      if (this.partnerPatientId) return { patient: `Patient/${this.partnerPatientId}` };
      return { patient: this.motherRef, about: `RelatedPerson/${this.partnerRelatedPersonId}` };
    }
    const [kind, localId = ''] = s.split(/:(.*)/s, 2) as [string, string?];
    if (kind === 'baby') return { patient: `Patient/${this.babyIds.get(localId)}` };
    const patientId = this.householdPatientIds.get(localId);
    if (patientId) return { patient: `Patient/${patientId}` };
    return { patient: this.motherRef, about: `RelatedPerson/${this.householdRelatedPersonIds.get(localId)}` };
  }

  /** The workflow-episodeOfCare extension tying a fact to this pregnancy. */
  get episodeExtension() {
    return { url: EXT.workflowEpisodeOfCare, valueReference: { reference: this.episodeRef } };
  }
}
