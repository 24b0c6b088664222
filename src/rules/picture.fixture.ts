import { CRADLE_BASE, CS, EXT, SYSTEM } from '../fhir/canonical.js';
import type { AnyResource, Flag, Observation, Patient } from '../fhir/types.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import type { FamilyEdge, FamilyRole } from '../store/family-store.js';

const source = (s: string) => ({ source: `${CRADLE_BASE}/source/${s}` });

/**
 * Builds family pictures for rule tests: people with roles and edge dates, and the facts
 * each source records about them, shaped as the mappings shape them.
 */
export class PictureBuilder {
  private readonly patients = new Map<string, Patient>();
  private readonly edges: FamilyEdge[] = [];
  private readonly resources: AnyResource[] = [];
  private flags: Flag[] = [];
  private n = 0;

  constructor(readonly motherId = 'mother-1', motherExtra: Partial<Patient> = { birthDate: '1996-03-01' }) {
    this.person(motherId, 'mother', motherExtra);
  }

  person(id: string, role: FamilyRole, extra: Partial<Patient> = {}, since = '2026-05-01T00:00:00Z', sourceKey = 'maternity|TST|R1'): this {
    this.patients.set(id, { resourceType: 'Patient', id, ...extra });
    this.edges.push({ familyKey: this.motherId, personId: id, role, sourceKey, since });
    return this;
  }

  baby(id: string, bornAt: string, extra: Partial<Patient> = {}): this {
    return this.person(id, 'child', { birthDate: bornAt.slice(0, 10), _birthDate: { extension: [{ url: EXT.birthTime, valueDateTime: bornAt }] }, ...extra } as Partial<Patient>);
  }

  add(resource: Record<string, unknown>): this {
    this.resources.push({ id: `r-${++this.n}`, ...resource } as AnyResource);
    return this;
  }

  finding(subject: string, kind: string, at: string, opts: { site?: string; nipe?: boolean; status?: Observation['status']; snomedOnly?: string } = {}): this {
    const id = `obs-${++this.n}`;
    const code = opts.snomedOnly
      ? { coding: [{ system: SYSTEM.snomed, code: opts.snomedOnly }] }
      : { coding: [{ system: CS.findingKind, code: kind }] };
    this.resources.push({
      resourceType: 'Observation', id, status: opts.status ?? 'final', code, subject: { reference: `Patient/${subject}` },
      effectiveDateTime: at, valueBoolean: true, performer: [{ display: 'Test Trust', identifier: { system: SYSTEM.odsOrganisation, value: 'TST' } }],
      ...(opts.site ? { bodySite: { text: opts.site } } : {}),
      ...(opts.nipe ? { method: { coding: [{ system: CS.observationType, code: 'nipe-examination' }] } } : {}),
    });
    return this;
  }

  observation(subject: string, type: string, at: string, value: Record<string, unknown>, extra: Record<string, unknown> = {}): this {
    return this.add({ resourceType: 'Observation', status: 'final', code: { coding: [{ system: CS.observationType, code: type }] },
      subject: { reference: `Patient/${subject}` }, effectiveDateTime: at, meta: source('maternity'), ...value, ...extra });
  }

  mobility(subject: string, at: string, mobile: boolean): this {
    return this.observation(subject, 'independently-mobile', at, { valueBoolean: mobile });
  }

  /** A social factor as a Condition; `snomed` codes it as a GP would, else the Cradle code. */
  factor(subject: string, factor: string, opts: { source?: string; snomed?: string; status?: 'active' | 'inactive'; recorded?: string } = {}): this {
    const code = opts.snomed ? { coding: [{ system: SYSTEM.snomed, code: opts.snomed }] } : { coding: [{ system: CS.socialFactor, code: factor }] };
    return this.add({ resourceType: 'Condition', meta: source(opts.source ?? 'maternity'), code, subject: { reference: `Patient/${subject}` },
      clinicalStatus: { coding: [{ system: SYSTEM.conditionClinical, code: opts.status ?? 'active' }] }, recordedDate: opts.recorded ?? '2026-05-01' });
  }

  pregnancy(edd: string, opts: { booked?: string; status?: 'active' | 'finished' } = {}): this {
    this.add({ resourceType: 'EpisodeOfCare', id: 'preg-1', meta: source('maternity'), status: opts.status ?? 'active', patient: { reference: `Patient/${this.motherId}` },
      type: [{ coding: [{ system: SYSTEM.snomed, code: '77386006' }] }], period: { start: opts.booked ?? '2026-05-01' } });
    return this.observation(this.motherId, 'estimated-delivery-date', opts.booked ?? '2026-05-01', { valueDateTime: edd });
  }

  plan(subject: string, kind: string, start: string, end?: string): this {
    return this.add({ resourceType: 'EpisodeOfCare', meta: source('socialcare'), status: end ? 'finished' : 'active', patient: { reference: `Patient/${subject}` },
      type: [{ coding: [{ system: CS.socialCareEpisode, code: kind }], text: kind === 'cp-plan' ? 'Child protection plan' : kind }],
      period: { start, ...(end ? { end } : {}) },
      contained: [{ resourceType: 'Organization', id: 'la', name: 'Testshire County Council', contact: [
        { purpose: { coding: [{ code: 'WP' }] }, telecom: [{ system: 'phone', value: '0300 000 0001' }] },
        { purpose: { coding: [{ code: 'EC' }] }, telecom: [{ system: 'phone', value: '0300 000 0002' }] }] }],
      managingOrganization: { reference: '#la' } });
  }

  referral(subject: string, type: string, on: string): this {
    return this.add({ resourceType: 'ServiceRequest', meta: source('maternity'), status: 'active', intent: 'order', subject: { reference: `Patient/${subject}` },
      code: { coding: [{ system: CS.referralType, code: type }] }, authoredOn: on });
  }

  missed(subject: string, type: string, at: string, source_ = 'maternity'): this {
    return this.add({ resourceType: 'Appointment', meta: source(source_), status: 'noshow', start: at,
      appointmentType: { coding: [{ system: CS.contactType, code: type }], text: type }, participant: [{ actor: { reference: `Patient/${subject}` }, status: 'accepted' }] });
  }

  contact(subject: string, type: string, at: string, id = `enc-${++this.n}`): this {
    this.resources.push({ resourceType: 'Encounter', id, meta: source('maternity'), status: 'finished', class: { code: 'HH' },
      type: [{ coding: [{ system: CS.contactType, code: type }], text: `${type} contact` }], subject: { reference: `Patient/${subject}` }, period: { start: at } } as AnyResource);
    return this;
  }

  unidentified(partner: boolean): this {
    return this.add({ resourceType: 'RelatedPerson', patient: { reference: `Patient/${this.motherId}` },
      extension: [{ url: EXT.identified, valueBoolean: false }],
      relationship: [{ coding: [{ system: SYSTEM.v3RoleCode, code: partner ? 'DOMPART' : 'ROOM' }] }] });
  }

  withFlags(flags: Flag[]): this {
    this.flags = flags;
    return this;
  }

  build(asOf = '2026-12-01T00:00:00Z'): FamilyPicture {
    const members = [...new Map(this.edges.map((e) => [`${e.personId}|${e.role}`, { personId: e.personId, role: e.role }])).values()];
    return { key: this.motherId, asOf, members, edges: this.edges, patients: this.patients, resources: this.resources, flags: this.flags, detectedIssues: [] };
  }
}
