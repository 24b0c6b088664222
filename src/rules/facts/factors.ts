import { CS } from '../../fhir/canonical.js';
import type { AnyResource, CodeableConcept, Condition, Observation } from '../../fhir/types.js';
import { subjectIds, type FamilyPicture } from '../../identity/family-picture.js';
import { means } from '../../mapping/terminology.js';

export type FactorKey =
  | 'mental-health' | 'substance-misuse' | 'cannabis-use' | 'alcohol-misuse' | 'domestic-abuse' | 'previous-convictions'
  | 'housing-issues' | 'care-leaver' | 'learning-disability' | 'previous-child-removed' | 'child-protection-history';

export interface FactFound {
  factor: FactorKey;
  personId: string;
  resource: Condition | Observation;
  /** Who the fact is about when that is not the record's subject ("parent or carer"). */
  about?: string;
}

/**
 * Social factors recorded about these people by any agency and still current: maternity's
 * social factors, a GP's coded problems (SNOMED, recognised through the ConceptMaps), and
 * social care's assessment factors. A Condition counts unless resolved, inactive or
 * refuted; an Observation unless it records the factor as absent.
 */
export function currentFactors(picture: FamilyPicture, personIds: readonly string[], factors: readonly FactorKey[]): FactFound[] {
  const people = new Set(personIds);
  const adults = people.has(picture.key);
  const out: FactFound[] = [];
  for (const r of picture.resources) {
    if (r.resourceType !== 'Condition' && r.resourceType !== 'Observation') continue;
    if (!current(r)) continue;
    const subject = subjectIds(r).find((id) => people.has(id));
    // A child's social care assessment records concerns about the parents (factor codes
    // ending B) and the household (C) on the child's record: they are facts about the adults.
    const about = !subject && adults ? adultConcern(r) : undefined;
    if (!subject && !about) continue;
    for (const factor of factors) {
      if (codes(r).some((cc) => means(cc, CS.socialFactor, factor))) {
        out.push({ factor, personId: subject ?? picture.key, resource: r, ...(about ? { about } : {}) });
      }
    }
  }
  return out;
}

function adultConcern(r: Condition | Observation): string | undefined {
  const code = codes(r).flatMap((cc) => cc.coding ?? []).find((c) => c.system === CS.cinAssessmentFactor)?.code;
  if (code?.endsWith('B')) return 'parent or carer, from a child\'s social care assessment';
  if (code?.endsWith('C')) return 'household member, from a child\'s social care assessment';
  return undefined;
}

function codes(r: Condition | Observation): CodeableConcept[] {
  return [r.code, ...(r.resourceType === 'Observation' && r.valueCodeableConcept ? [r.valueCodeableConcept] : [])].filter((c): c is CodeableConcept => !!c);
}

function current(r: AnyResource): boolean {
  if (r.resourceType === 'Condition') {
    const clinical = r.clinicalStatus?.coding?.[0]?.code;
    const verification = r.verificationStatus?.coding?.[0]?.code;
    if (r.abatementDateTime || verification === 'refuted' || verification === 'entered-in-error') return false;
    return !clinical || clinical === 'active' || clinical === 'recurrence' || clinical === 'relapse';
  }
  if (r.resourceType === 'Observation') return r.status !== 'entered-in-error' && r.status !== 'cancelled' && r.valueBoolean !== false;
  return false;
}

/** Substance misuse includes cannabis and alcohol (the case reviews note cannabis is often minimised). */
export const SUBSTANCE: readonly FactorKey[] = ['substance-misuse', 'cannabis-use', 'alcohol-misuse'];

/** The five most prevalent factors in the 55-case review, grouping substance use as one. */
export const FIVE_PREVALENT: ReadonlyArray<{ name: string; factors: readonly FactorKey[] }> = [
  { name: 'parental mental health', factors: ['mental-health'] },
  { name: 'substance misuse', factors: SUBSTANCE },
  { name: 'previous convictions', factors: ['previous-convictions'] },
  { name: 'domestic abuse', factors: ['domestic-abuse'] },
  { name: 'housing issues', factors: ['housing-issues'] },
];

export const FACTOR_WORDS: Readonly<Record<FactorKey, string>> = {
  'mental-health': 'mental health problem', 'substance-misuse': 'substance misuse', 'cannabis-use': 'cannabis use',
  'alcohol-misuse': 'alcohol misuse', 'domestic-abuse': 'domestic abuse', 'previous-convictions': 'previous convictions',
  'housing-issues': 'housing issues', 'care-leaver': 'care leaver', 'learning-disability': 'learning disability',
  'previous-child-removed': 'previous child removed', 'child-protection-history': 'child protection history',
};
