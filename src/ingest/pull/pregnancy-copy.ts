import type { AnyResource, Bundle, Reference } from '../../fhir/types.js';

/**
 * Packages what a maternity system returned for one pregnancy as the Bundle the
 * `maternity-fhir` source reads: the pregnancy's EpisodeOfCare and everything of the
 * mother's, less other pregnancies and what hangs on them (their Encounters and the
 * Observations on those). Pure, so the selection is tested without a server.
 */
export function pregnancyCopy(episode: AnyResource, everything: readonly AnyResource[], baseUrl: string, fetchedAt: string): Bundle {
  const self = `EpisodeOfCare/${episode.id}`;
  const byRef = new Map<string, AnyResource>();
  for (const r of [...everything, episode]) byRef.set(`${r.resourceType}/${r.id}`, r);
  const dropped = new Set([...byRef.keys()].filter((ref) => ref.startsWith('EpisodeOfCare/') && ref !== self));
  // Two passes reach Observations on Encounters of other pregnancies.
  for (let pass = 0; pass < 2; pass++) {
    for (const [ref, r] of byRef) if (!dropped.has(ref) && refsOf(r).some((t) => dropped.has(t))) dropped.add(ref);
  }
  const kept = [...byRef].filter(([ref]) => !dropped.has(ref)).map(([, r]) => r);
  const times = kept.map((r) => r.meta?.lastUpdated).filter((t): t is string => !!t).sort();
  return {
    resourceType: 'Bundle',
    type: 'collection',
    // The copy's own time orders versions; a server that states none is versioned by when Cradle fetched it.
    timestamp: times.at(-1) ?? fetchedAt,
    entry: kept.map((resource) => ({ fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`, resource })),
  };
}

/** References to episodes and encounters a resource hangs on. */
function refsOf(r: AnyResource): string[] {
  const x = r as { episodeOfCare?: Reference | Reference[]; encounter?: Reference; context?: Reference; extension?: Array<{ url: string; valueReference?: Reference }> };
  const list = [
    ...(Array.isArray(x.episodeOfCare) ? x.episodeOfCare : x.episodeOfCare ? [x.episodeOfCare] : []),
    x.encounter, x.context,
    ...(x.extension ?? []).filter((e) => e.url === 'http://hl7.org/fhir/StructureDefinition/workflow-episodeOfCare').map((e) => e.valueReference),
  ];
  return list.map((ref) => ref?.reference?.replace(/^.*\/([A-Z][A-Za-z]+\/[^/]+)$/, '$1')).filter((ref): ref is string => !!ref);
}
