import { CS, EXT, SYSTEM } from '../../fhir/canonical.js';
import type { EpisodeOfCare, Observation } from '../../fhir/types.js';
import { resourcesOf, type FamilyPicture } from '../../identity/family-picture.js';
import { means } from '../../mapping/terminology.js';

const PREGNANCY = '77386006';

export interface Pregnancy {
  episode: EpisodeOfCare;
  /** Agreed estimated date of delivery, when recorded. */
  edd?: string;
  eddEvidence?: Observation;
}

export function isPregnancy(e: EpisodeOfCare): boolean {
  return (e.type ?? []).some((t) => t.coding?.some((c) => c.system === SYSTEM.snomed && c.code === PREGNANCY));
}

/** The mother's current pregnancy: an active pregnancy episode (maternity closes it at birth). */
export function currentPregnancy(picture: FamilyPicture): Pregnancy | undefined {
  const episodes = resourcesOf(picture, 'EpisodeOfCare', picture.key).filter((e) => isPregnancy(e) && e.status === 'active');
  const episode = episodes.sort((a, b) => (b.period?.start ?? '').localeCompare(a.period?.start ?? ''))[0];
  if (!episode) return undefined;
  const eddObs = resourcesOf(picture, 'Observation', picture.key)
    .filter((o) => means(o.code, CS.observationType, 'estimated-delivery-date') && o.valueDateTime && o.status !== 'entered-in-error'
      && (episodeOf(o) === undefined || episodeOf(o) === `EpisodeOfCare/${episode.id}`))
    .sort((a, b) => (b.effectiveDateTime ?? '').localeCompare(a.effectiveDateTime ?? ''))[0];
  return { episode, ...(eddObs ? { edd: eddObs.valueDateTime!, eddEvidence: eddObs } : {}) };
}

function episodeOf(o: Observation): string | undefined {
  return o.extension?.find((e) => e.url === EXT.workflowEpisodeOfCare)?.valueReference?.reference;
}
