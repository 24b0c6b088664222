import { CS, EXT, PROFILE, SYSTEM } from '../../../src/fhir/canonical.js';
import type { Condition, ContactPoint, EpisodeOfCare, Organization, OrganizationContact } from '../../../src/fhir/types.js';
import { cradleCoding } from '../../../src/mapping/code-systems.js';
import { coding, concept } from '../../../src/mapping/coding.js';
import { translated } from '../../../src/mapping/terminology.js';
import type { EpisodeFacts, LaFacts } from './model.js';
import { laIdentifier, type ChildScope } from './scope.js';

/**
 * A case or plan as an EpisodeOfCare: type coded through ConceptMap-socialcare-episode-type
 * -to-snomed (CP plan 342191000000101, unborn 818901000000100, LAC 764841000000100, CIN
 * plan 326071000000101), status active or finished, the period, and the responsible
 * authority with its office-hours and emergency-duty phones as CP-IS shares them (DOMAIN.md
 * section 1). A CP plan's category of abuse is a Condition the episode lists as diagnosis.
 *
 * The authority is a contained Organization: its phones are facts *of this plan* as the
 * authority last stated them, so they travel with the plan's own ordering. A shared
 * Organization written by every event would end up with whichever event was processed
 * last, and the store would depend on arrival order.
 */
export function mapEpisode(scope: ChildScope, e: EpisodeFacts): Array<EpisodeOfCare | Condition> {
  const id = scope.id(e.kind, e.startDate);
  const category = e.kind === 'cp-plan' && e.categoryOfAbuse ? categoryCondition(scope, e, id) : undefined;
  // Built in JSON element order, optional elements assigned rather than spread from `{}`
  // halves (see people.ts). The cast: `status` and `patient` are assigned below.
  const episode = { resourceType: 'EpisodeOfCare', id, meta: { profile: [PROFILE.ukCoreEpisodeOfCare] } } as EpisodeOfCare;
  if (e.reasonForClosure) {
    episode.extension = [{ url: EXT.episodeEndReason, valueCodeableConcept: own(CS.cinReasonForClosure, e.reasonForClosure) }];
  }
  episode.contained = [laOrganization(scope.la)];
  episode.identifier = [{ system: scope.localSystem(e.kind), value: `${scope.child.laChildId}/${e.startDate}` }];
  episode.status = e.endDate ? 'finished' : 'active';
  episode.type = [translated(CS.socialCareEpisode, typeCode(scope, e))];
  if (category) episode.diagnosis = [{ condition: { reference: `Condition/${category.id}` } }];
  episode.patient = scope.childRef;
  episode.managingOrganization = scope.la.name ? { reference: '#la', display: scope.la.name } : { reference: '#la' };
  episode.period = e.endDate ? { start: e.startDate, end: e.endDate } : { start: e.startDate };
  return category ? [episode, category] : [episode];
}

function typeCode(scope: ChildScope, e: EpisodeFacts): string {
  return e.kind === 'cp-plan' && scope.unborn ? 'cp-plan-unborn' : e.kind;
}

/** The latest category of abuse (CIN census LatestCategoryOfAbuse), current while the plan is. */
function categoryCondition(scope: ChildScope, e: EpisodeFacts, episodeId: string): Condition {
  const initial = e.initialCategoryOfAbuse && e.initialCategoryOfAbuse !== e.categoryOfAbuse ? e.initialCategoryOfAbuse : undefined;
  const condition: Condition = {
    resourceType: 'Condition',
    id: scope.id(e.kind, e.startDate, 'category-of-abuse'),
    meta: { profile: [PROFILE.ukCoreCondition] },
    extension: [{ url: EXT.workflowEpisodeOfCare, valueReference: { reference: `EpisodeOfCare/${episodeId}` } }],
    clinicalStatus: concept([coding(SYSTEM.conditionClinical, e.endDate ? 'inactive' : 'active')]),
    verificationStatus: concept([coding('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed')]),
    category: [concept([coding(SYSTEM.conditionCategory, 'problem-list-item', 'Problem List Item')])],
    code: translated(CS.cinCategoryOfAbuse, e.categoryOfAbuse!),
    subject: scope.childRef,
    onsetDateTime: e.startDate,
  };
  if (e.endDate) condition.abatementDateTime = e.endDate;
  if (initial) condition.note = [{ text: `Initial category of abuse: ${cradleCoding(CS.cinCategoryOfAbuse, initial).display}` }];
  return condition;
}

/** The authority with its phones; CP-IS marks the out-of-hours line as the emergency contact (v3 AddressUse EC). */
export function laOrganization(la: LaFacts): Organization {
  const contact: OrganizationContact[] = [];
  if (la.phone) contact.push(phoneContact('WP', 'work place', la.phone, 'work'));
  if (la.emergencyDutyPhone) contact.push(phoneContact('EC', 'emergency contact', la.emergencyDutyPhone, 'work'));
  const organization: Organization = {
    resourceType: 'Organization',
    id: 'la',
    meta: { profile: [PROFILE.ukCoreOrganization] },
    identifier: [laIdentifier(la)],
    active: true,
    type: [concept([coding('http://terminology.hl7.org/CodeSystem/organization-type', 'govt', 'Government')], 'Local authority')],
  };
  if (la.name) organization.name = la.name;
  if (contact.length) organization.contact = contact;
  return organization;
}

function phoneContact(code: string, display: string, value: string, use: ContactPoint['use']) {
  return {
    purpose: concept([coding('http://terminology.hl7.org/CodeSystem/v3-AddressUse', code, display)]),
    telecom: [{ system: 'phone' as const, value, use }],
  };
}

function own(system: string, code: string) {
  const c = cradleCoding(system, code);
  return concept([c], c.display);
}
