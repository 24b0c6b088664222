import type { AnyResource, Bundle } from '../../src/fhir/types.js';
import { transactionBundle } from '../../src/mapping/bundle.js';
import type { MappingContext } from '../../src/mapping/context.js';
import { EPISODE_EVENTS, endDateOf, localDate, startDateOf, type Facet } from './facets.js';
import type { SocialCareEvent } from './record.js';
import { mapEpisode } from './shape/episodes.js';
import { mapFactors, mapReferral } from './shape/factors-and-referral.js';
import { mapHousehold } from './shape/household.js';
import type { ChildFacts, EpisodeFacts, LaFacts } from './shape/model.js';
import { mapChildAndMother } from './shape/people.js';
import { mapProvenance } from './shape/provenance.js';
import { ChildScope } from './shape/scope.js';

/** A parsed socialcare message: the event, and which of its facets this message carries. */
export interface SocialCareRecord {
  event: SocialCareEvent;
  facets: readonly Facet[];
}

/**
 * A socialcare event (or one facet of it) → a transaction Bundle: the child and mother in
 * every facet (so each message links them on its own), then the facet's facts. Pure.
 */
export function mapSocialCareRecord(record: SocialCareRecord, ctx: MappingContext): Bundle {
  const { event } = record;
  const scope = new ChildScope(laFacts(event), childFacts(event));
  const resources: AnyResource[] = [...mapChildAndMother(scope)];
  for (const facet of record.facets) resources.push(...facetResources(scope, event, facet));
  const what = `event ${event.eventId} (${event.event}; ${record.facets.join(', ')})`;
  resources.push(mapProvenance(scope.laRef, ctx, resources, what));
  return transactionBundle(resources);
}

function facetResources(scope: ChildScope, e: SocialCareEvent, facet: Facet): AnyResource[] {
  if (facet === 'episode') return mapEpisode(scope, episodeFacts(e));
  if (facet === 'household') return mapHousehold(scope, e.details?.householdMembers ?? []);
  const out: AnyResource[] = [];
  if (e.event === 'referral') {
    out.push(mapReferral(scope, { date: startDateOf(e), open: true, referralSource: e.details?.referralSource, primaryNeed: e.details?.primaryNeed }));
  }
  const codes = e.details?.assessmentFactors ?? [];
  // An assessment with a stated start date is the same assessment the CIN census reports.
  const assessmentKey = e.event === 'assessment-completed' && e.details?.startDate ? e.details.startDate : `event:${e.eventId}`;
  out.push(...mapFactors(scope, { codes, recordedDate: localDate(e.occurredAt), assessmentKey, current: true }));
  return out;
}

function episodeFacts(e: SocialCareEvent): EpisodeFacts {
  const { kind, ends } = EPISODE_EVENTS[e.event]!;
  return {
    kind,
    startDate: startDateOf(e),
    ...(ends ? { endDate: endDateOf(e) } : {}),
    ...(kind === 'cp-plan' && e.details?.categoryOfAbuse ? { categoryOfAbuse: e.details.categoryOfAbuse } : {}),
    ...(e.details?.reasonForClosure ? { reasonForClosure: e.details.reasonForClosure } : {}),
  };
}

function laFacts(e: SocialCareEvent): LaFacts {
  const la = e.localAuthority;
  return { scheme: 'gss', code: la.code, ...(la.name ? { name: la.name } : {}), ...(la.phone ? { phone: la.phone } : {}),
    ...(la.emergencyDutyPhone ? { emergencyDutyPhone: la.emergencyDutyPhone } : {}) };
}

function childFacts(e: SocialCareEvent): ChildFacts {
  const { sex, ...rest } = e.child;
  return { ...rest, ...(sex ? { gender: sex } : {}) };
}
