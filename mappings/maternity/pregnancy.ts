import { CS, localIdSystem, PROFILE, SYSTEM } from '../../src/fhir/canonical.js';
import type { EpisodeOfCare, Observation, Reference } from '../../src/fhir/types.js';
import { coding, concept } from '../../src/mapping/coding.js';
import type { MaternityScope } from './scope.js';
import { translated } from './terminology.js';

/** The pregnancy as an EpisodeOfCare, with its dated facts as Observations. */
export function mapPregnancy(scope: MaternityScope): Array<EpisodeOfCare | Observation> {
  const { record } = scope;
  const p = record.pregnancy ?? {};
  const anyBorn = (record.babies ?? []).some((b) => b.birthDate);
  const episode: EpisodeOfCare = {
    resourceType: 'EpisodeOfCare',
    id: scope.episodeId,
    meta: { profile: [PROFILE.ukCoreEpisodeOfCare] },
    identifier: [{ system: localIdSystem(record.organisation.odsCode, 'pregnancy'), value: record.recordId }],
    status: anyBorn ? 'finished' : 'active',
    // SNOMED 77386006 |Pregnancy|.
    type: [concept([coding(SYSTEM.snomed, '77386006', 'Pregnancy')], 'Pregnancy')],
    patient: scope.mother,
    managingOrganization: scope.organisation,
    ...(p.bookingDate ? { period: { start: p.bookingDate } } : {}),
  };
  const out: Array<EpisodeOfCare | Observation> = [episode];
  const date = p.bookingDate ?? record.updatedAt.slice(0, 10);
  if (p.edd) out.push(observation(scope, 'estimated-delivery-date', scope.mother, record.updatedAt, { valueDateTime: p.edd }));
  if (p.gestationAtBookingWeeks !== undefined) {
    out.push(observation(scope, 'gestation-at-booking', scope.mother, date, { valueQuantity: weeks(p.gestationAtBookingWeeks) }));
  }
  if (p.fetusCount !== undefined) out.push(observation(scope, 'fetus-count', scope.mother, date, { valueInteger: p.fetusCount }));
  if (p.previousLiveBirths !== undefined) {
    out.push(observation(scope, 'previous-live-births', scope.mother, date, { valueInteger: p.previousLiveBirths }));
  }
  for (const baby of record.babies ?? []) {
    const subject = { reference: `Patient/${scope.babyIds.get(baby.localId)}` };
    const when = baby.birthDate ?? record.updatedAt;
    if (baby.gestationWeeks !== undefined) {
      out.push(observation(scope, 'gestation-at-birth', subject, when, { valueQuantity: weeks(baby.gestationWeeks) }, [baby.localId]));
    }
    if (baby.birthWeightGrams !== undefined) {
      out.push(observation(scope, 'birth-weight', subject, when,
        { valueQuantity: { value: baby.birthWeightGrams, unit: 'g', system: SYSTEM.ucum, code: 'g' } }, [baby.localId]));
    }
  }
  return out;
}

type Value = Pick<Observation, 'valueDateTime' | 'valueQuantity' | 'valueInteger' | 'valueBoolean' | 'valueCodeableConcept'>;

/**
 * An Observation of one of the contract's recorded facts, coded via the observation-type
 * ConceptMap; `idParts` tell apart facts of one type (per baby, per contact), and an
 * `encounter` (the contact the fact was recorded at) comes after the value.
 */
export function observation(scope: MaternityScope, type: string, subject: Reference, effective: string, value: Value,
  idParts: readonly string[] = [], encounter?: Reference): Observation {
  const obs: Observation = {
    resourceType: 'Observation',
    id: scope.id('observation', type, ...idParts),
    meta: { profile: [PROFILE.ukCoreObservation] },
    extension: [scope.episodeExtension],
    status: 'final',
    code: translated(CS.observationType, type),
    subject,
    effectiveDateTime: effective,
    performer: [scope.organisation],
  };
  // Assigned rather than spread into a copy: same elements, same order, one object.
  Object.assign(obs, value);
  if (encounter) obs.encounter = encounter;
  return obs;
}

function weeks(value: number) {
  return { value, unit: 'week', system: SYSTEM.ucum, code: 'wk' };
}
