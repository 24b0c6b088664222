import { EXT, PROFILE } from '../fhir/canonical.js';
import type { Identifier, Patient, PatientLink } from '../fhir/types.js';

/**
 * One Patient from what several sources say about a person. Contributions are applied
 * oldest first, so for a single-valued fact (name, address, registered practice) the
 * source that spoke last wins; identifiers and links accumulate from every source. The
 * order is by receipt time and then source key, so the merge is deterministic.
 */
export function mergePatient(personId: string, contributions: ReadonlyArray<{ content: Patient }>): Patient {
  const merged: Patient = { resourceType: 'Patient', id: personId };
  const identifiers = new Map<string, Identifier>();
  const links = new Map<string, PatientLink>();
  for (const { content } of contributions) {
    const { id: _id, meta: _meta, identifier, link, resourceType: _rt, ...rest } = content;
    Object.assign(merged, rest);
    for (const i of identifier ?? []) identifiers.set(`${i.system}|${i.value}`, i);
    // A link may name the other patient by reference or only by identifier (HL7 A40's MRG-1).
    for (const l of link ?? []) links.set(`${l.type}|${l.other.reference ?? `${l.other.identifier?.system}|${l.other.identifier?.value}`}`, l);
  }
  // Once any source records a birth, the child is no longer unborn, whatever an earlier
  // unborn-child record said.
  if (merged.birthDate && merged.extension) {
    merged.extension = merged.extension.filter((e) => e.url !== EXT.fetalStatus);
    if (merged.extension.length === 0) delete merged.extension;
  }
  return {
    ...merged,
    meta: { profile: [PROFILE.ukCorePatient] },
    ...(identifiers.size ? { identifier: sortIdentifiers([...identifiers.values()]) } : {}),
    ...(links.size ? { link: [...links.values()] } : {}),
  };
}

/** NHS number first (UK Core's slice), then the rest in a stable order. */
function sortIdentifiers(ids: Identifier[]): Identifier[] {
  const rank = (i: Identifier) => (i.system === 'https://fhir.nhs.uk/Id/nhs-number' ? 0 : 1);
  return ids.sort((a, b) => rank(a) - rank(b) || `${a.system}|${a.value}`.localeCompare(`${b.system}|${b.value}`));
}
