import { EXT } from '../../fhir/canonical.js';
import type { Patient, RelatedPerson } from '../../fhir/types.js';
import { children, infants, mother, personIdsWithRole, type FamilyPicture } from '../../identity/family-picture.js';
import { currentPregnancy } from './pregnancy.js';

/** Born infants: children under one with a birth date (unborn children are not born infants). */
export function bornInfants(picture: FamilyPicture): Patient[] {
  return infants(picture).filter((c) => c.birthDate);
}

/**
 * Who a family's Flags are about: each born infant; before birth, the mother (as CP-IS puts
 * an unborn child's plan on the mother). Empty when there is neither.
 */
export function alertSubjects(picture: FamilyPicture): string[] {
  const born = bornInfants(picture).map((p) => p.id!);
  if (born.length > 0) return born;
  const unborn = infants(picture).some((c) => !c.birthDate);
  return (currentPregnancy(picture) || unborn) && mother(picture) ? [picture.key] : [];
}

/** The infants' brothers and sisters: the mother's children who are not infants. */
export function olderChildren(picture: FamilyPicture): Patient[] {
  const infantIds = new Set(infants(picture).map((p) => p.id));
  return children(picture).filter((c) => !infantIds.has(c.id));
}

/** The adults around the baby: mother, father or partner(s), other household adults. */
export function adultsAround(picture: FamilyPicture): Array<{ id: string; role: 'mother' | 'partner' | 'household-adult' }> {
  return [
    ...(mother(picture) ? [{ id: picture.key, role: 'mother' as const }] : []),
    ...personIdsWithRole(picture, 'partner').map((id) => ({ id, role: 'partner' as const })),
    ...personIdsWithRole(picture, 'household-adult').map((id) => ({ id, role: 'household-adult' as const })),
  ];
}

/** RelatedPersons on the mother recorded as known to exist but not identified. */
export function unidentifiedPeople(picture: FamilyPicture): Array<{ related: RelatedPerson; partner: boolean }> {
  return picture.resources
    .filter((r): r is RelatedPerson => r.resourceType === 'RelatedPerson' && r.patient.reference === `Patient/${picture.key}`
      && r.extension?.some((e) => e.url === EXT.identified && e.valueBoolean === false) === true)
    .map((related) => ({
      related,
      partner: related.relationship?.some((cc) => cc.coding?.some((c) => ['DOMPART', 'SIGOTHR', 'SPS', 'FTH', 'partner'].includes(c.code ?? ''))) === true,
    }));
}

/** Age in whole years at a moment, or undefined without a birth date. */
export function ageInYears(p: Patient | undefined, at: string): number | undefined {
  if (!p?.birthDate) return undefined;
  const born = new Date(`${p.birthDate.slice(0, 10)}T00:00:00Z`);
  const when = new Date(at);
  let years = when.getUTCFullYear() - born.getUTCFullYear();
  const beforeBirthday = when.getUTCMonth() < born.getUTCMonth() || (when.getUTCMonth() === born.getUTCMonth() && when.getUTCDate() < born.getUTCDate());
  if (beforeBirthday) years--;
  return years;
}
