import { CS, EXT, PROFILE, SYSTEM } from '../../../src/fhir/canonical.js';
import type { Condition, ContactPoint, EpisodeOfCare, Organization } from '../../../src/fhir/types.js';
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
  const episode: EpisodeOfCare = {
    resourceType: 'EpisodeOfCare',
    id,
    meta: { profile: [PROFILE.ukCoreEpisodeOfCare] },
    ...(e.reasonForClosure ? { extension: [{ url: EXT.episodeEndReason, valueCodeableConcept: own(CS.cinReasonForClosure, e.reasonForClosure) }] } : {}),
    contained: [laOrganization(scope.la)],
    identifier: [{ system: scope.localSystem(e.kind), value: `${scope.child.laChildId}/${e.startDate}` }],
    status: e.endDate ? 'finished' : 'active',
    type: [translated(CS.socialCareEpisode, typeCode(scope, e))],
    ...(category ? { diagnosis: [{ condition: { reference: `Condition/${category.id}` } }] } : {}),
    patient: scope.childRef,
    managingOrganization: { reference: '#la', ...(scope.la.name ? { display: scope.la.name } : {}) },
    period: { start: e.startDate, ...(e.endDate ? { end: e.endDate } : {}) },
  };
  return category ? [episode, category] : [episode];
}

function typeCode(scope: ChildScope, e: EpisodeFacts): string {
  return e.kind === 'cp-plan' && scope.unborn ? 'cp-plan-unborn' : e.kind;
}

/** The latest category of abuse (CIN census LatestCategoryOfAbuse), current while the plan is. */
function categoryCondition(scope: ChildScope, e: EpisodeFacts, episodeId: string): Condition {
  const initial = e.initialCategoryOfAbuse && e.initialCategoryOfAbuse !== e.categoryOfAbuse ? e.initialCategoryOfAbuse : undefined;
  return {
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
    ...(e.endDate ? { abatementDateTime: e.endDate } : {}),
    ...(initial ? { note: [{ text: `Initial category of abuse: ${cradleCoding(CS.cinCategoryOfAbuse, initial).display}` }] } : {}),
  };
}

/** The authority with its phones; CP-IS marks the out-of-hours line as the emergency contact (v3 AddressUse EC). */
export function laOrganization(la: LaFacts): Organization {
  const contact = [
    la.phone ? phoneContact('WP', 'work place', la.phone, 'work') : undefined,
    la.emergencyDutyPhone ? phoneContact('EC', 'emergency contact', la.emergencyDutyPhone, 'work') : undefined,
  ].filter((c): c is NonNullable<typeof c> => c !== undefined);
  return {
    resourceType: 'Organization',
    id: 'la',
    meta: { profile: [PROFILE.ukCoreOrganization] },
    identifier: [laIdentifier(la)],
    active: true,
    type: [concept([coding('http://terminology.hl7.org/CodeSystem/organization-type', 'govt', 'Government')], 'Local authority')],
    ...(la.name ? { name: la.name } : {}),
    ...(contact.length ? { contact } : {}),
  };
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
