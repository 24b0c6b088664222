import { CS } from '../../fhir/canonical.js';
import type { Appointment, EpisodeOfCare, Observation, ServiceRequest } from '../../fhir/types.js';
import { resourcesOf, type FamilyPicture } from '../../identity/family-picture.js';
import { means } from '../../mapping/terminology.js';

export type PlanKind = 'cp-plan' | 'cp-plan-unborn' | 'cin-plan' | 'lac' | 'cin-episode';

/** Social care episodes (plans, looked-after, case open) of these kinds for a person; active ones by default. */
export function plans(picture: FamilyPicture, personId: string, kinds: readonly PlanKind[], opts: { activeAt?: string } = {}): EpisodeOfCare[] {
  return resourcesOf(picture, 'EpisodeOfCare', personId).filter((e) =>
    kinds.some((k) => (e.type ?? []).some((t) => means(t, CS.socialCareEpisode, k)))
    && (opts.activeAt === undefined || activeAt(e, opts.activeAt)));
}

export function activeAt(e: EpisodeOfCare, at: string): boolean {
  if (e.status === 'cancelled' || e.status === 'entered-in-error') return false;
  const end = e.period?.end;
  return !end || Date.parse(end) > Date.parse(at);
}

/** Referrals of a Cradle referral type recorded for a person. */
export function referrals(picture: FamilyPicture, personId: string, type: string): ServiceRequest[] {
  return resourcesOf(picture, 'ServiceRequest', personId)
    .filter((s) => means(s.code, CS.referralType, type) && s.status !== 'entered-in-error' && s.status !== 'revoked');
}

/** Appointments a person missed (no-show: not attended, not brought), from any source. */
export function missedAppointments(picture: FamilyPicture, personId: string): Appointment[] {
  return resourcesOf(picture, 'Appointment', personId).filter((a) => a.status === 'noshow' && a.start);
}

/** Observations of a Cradle observation type about a person, oldest first. */
export function observationsOf(picture: FamilyPicture, personId: string | undefined, type: string): Observation[] {
  return resourcesOf(picture, 'Observation', personId)
    .filter((o) => means(o.code, CS.observationType, type) && o.status !== 'entered-in-error')
    .sort((a, b) => Date.parse(a.effectiveDateTime ?? '') - Date.parse(b.effectiveDateTime ?? ''));
}
