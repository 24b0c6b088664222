import type { AnyResource, Bundle } from '../../src/fhir/types.js';
import { transactionBundle } from '../../src/mapping/bundle.js';
import type { MappingContext } from '../../src/mapping/context.js';
import { mapEpisode } from '../socialcare/shape/episodes.js';
import { mapFactors, mapReferral } from '../socialcare/shape/factors-and-referral.js';
import type { ChildFacts, LaFacts } from '../socialcare/shape/model.js';
import { mapChildAndMother } from '../socialcare/shape/people.js';
import { mapProvenance } from '../socialcare/shape/provenance.js';
import { ChildScope, laIdentifier } from '../socialcare/shape/scope.js';
import type { CinChild, CinEpisode, CinHeader } from './read.js';

export interface CinReturnRecord {
  header: CinHeader;
  children: CinChild[];
}

/** GenderCurrent: 1 male, 2 female, 0 not recorded or unborn, 9 indeterminate. */
const GENDER = { 1: 'male', 2: 'female', 0: 'unknown', 9: 'other' } as const;

/**
 * CIN census children → the same FHIR shape as socialcare events (the shared builders in
 * mappings/socialcare/shape): each CINdetails is a case (cin-episode) opened by its
 * referral, with its assessments' factors, CIN plans and CP plans. The census names no
 * mother and no NHS number, so a census child links to health records only through the
 * authority's own child id or, later, demographic matching. Not mapped: Section 47
 * enquiries, initial conferences, CPP reviews, NumberOfPreviousCPP, ethnicity, disability.
 */
export function mapCinReturn(record: CinReturnRecord, ctx: MappingContext): Bundle {
  const { header } = record;
  const resources = uniqueById(record.children.flatMap((c) => childResources(header, c)));
  const what = `return LA ${header.lea}${header.year ? ` ${header.year}` : ''} child ${record.children.map((c) => c.index).join(', ')}`;
  return transactionBundle([...resources, mapProvenance({ type: 'Organization', identifier: laIdentifier(laFacts(header)) }, ctx, resources, what)]);
}

function laFacts(header: CinHeader): LaFacts {
  return { scheme: 'dfe', code: header.lea };
}

/** A resource stated twice in one child (the same plan in two CINdetails) is stated once. */
function uniqueById(resources: AnyResource[]): AnyResource[] {
  return [...new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r])).values()];
}

function childResources(header: CinHeader, c: CinChild): AnyResource[] {
  const child: ChildFacts = {
    laChildId: c.laChildId,
    gender: GENDER[Number(c.gender) as keyof typeof GENDER] ?? 'unknown',
    ...(c.upn ? { upn: c.upn } : {}),
    ...(c.birthDate ? { birthDate: c.birthDate } : {}),
    ...(c.expectedBirthDate ? { expectedBirthDate: c.expectedBirthDate } : {}),
    ...(c.deathDate ? { deathDate: c.deathDate } : {}),
  };
  const scope = new ChildScope(laFacts(header), child);
  return [...mapChildAndMother(scope), ...c.episodes.flatMap((e) => episodeResources(scope, e))];
}

function episodeResources(scope: ChildScope, e: CinEpisode): AnyResource[] {
  const open = !e.closureDate;
  return [
    ...mapEpisode(scope, { kind: 'cin-episode', startDate: e.referralDate, ...(e.closureDate ? { endDate: e.closureDate } : {}),
      ...(e.reasonForClosure ? { reasonForClosure: e.reasonForClosure } : {}) }),
    mapReferral(scope, { date: e.referralDate, referralSource: e.referralSource, open, ...(e.primaryNeed ? { primaryNeed: e.primaryNeed } : {}) }),
    ...e.assessments.flatMap((a) => mapFactors(scope, { codes: a.factors, recordedDate: a.authorised ?? a.start, assessmentKey: `${e.referralDate}/${a.start}`, current: open })),
    ...e.cinPlans.flatMap((p) => mapEpisode(scope, { kind: 'cin-plan', startDate: p.start, ...(p.end ? { endDate: p.end } : {}) })),
    ...e.cpPlans.flatMap((p) => mapEpisode(scope, { kind: 'cp-plan', startDate: p.start, ...(p.end ? { endDate: p.end } : {}),
      categoryOfAbuse: p.latest, initialCategoryOfAbuse: p.initial })),
  ];
}
