import { CS, EXT, PROFILE, SYSTEM } from '../../../src/fhir/canonical.js';
import type { CodeableConcept, Condition, ServiceRequest } from '../../../src/fhir/types.js';
import { cradleCoding } from '../../../src/mapping/code-systems.js';
import { coding, concept } from '../../../src/mapping/coding.js';
import { translated } from '../../../src/mapping/terminology.js';
import type { FactorFacts, ReferralFacts } from './model.js';
import type { ChildScope } from './scope.js';

/** CIN census factor 21: "No factors identified". It records an absence, not a factor. */
const NO_FACTORS = '21';

/**
 * Factors identified at assessment as Conditions on the assessed child, coded in Cradle's
 * published CIN assessment-factor CodeSystem. ConceptMap-social-factor-to-snomed relates
 * the parental and household ones (1B/1C alcohol, 2B/2C drugs, 3A–3C domestic abuse, 4B/4C
 * mental health, 5B/5C learning disability) to Cradle's social factors, so a rule asking
 * `means(code, CS.socialFactor, 'substance-misuse')` recognises 2B. No SNOMED CT concept
 * says "concerns about … by the parent(s)/carer(s)" without saying more, so none is added.
 */
export function mapFactors(scope: ChildScope, f: FactorFacts): Condition[] {
  return f.codes.filter((c) => c !== NO_FACTORS).map((code): Condition => ({
    resourceType: 'Condition',
    id: scope.id('assessment', f.assessmentKey, 'factor', code),
    meta: { profile: [PROFILE.ukCoreCondition] },
    clinicalStatus: concept([coding(SYSTEM.conditionClinical, f.current ? 'active' : 'inactive')]),
    verificationStatus: concept([coding('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed')]),
    category: [
      concept([coding(SYSTEM.conditionCategory, 'problem-list-item', 'Problem List Item')]),
      concept([cradleCoding(CS.socialFactor, 'social-factor')]),
    ],
    code: translated(CS.cinAssessmentFactor, code),
    subject: scope.childRef,
    recordedDate: f.recordedDate,
  }));
}

/** A referral to children's social care, with the CIN census referral source and primary need. */
export function mapReferral(scope: ChildScope, r: ReferralFacts): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id: scope.id('referral', r.date),
    meta: { profile: [PROFILE.ukCoreServiceRequest] },
    ...(r.referralSource ? { extension: [{ url: EXT.referralSource, valueCodeableConcept: own(CS.cinReferralSource, r.referralSource) }] } : {}),
    identifier: [{ system: scope.localSystem('referral'), value: `${scope.child.laChildId}/${r.date}` }],
    status: r.open ? 'active' : 'completed',
    intent: 'order',
    category: [concept([coding(SYSTEM.snomed, '3457005', 'Patient referral')])],
    code: translated(CS.referralType, 'childrens-social-care'),
    subject: scope.childRef,
    authoredOn: r.date,
    performer: [scope.laRef],
    ...(r.primaryNeed ? { reasonCode: [own(CS.cinPrimaryNeed, r.primaryNeed)] } : {}),
  };
}

function own(system: string, code: string): CodeableConcept {
  const c = cradleCoding(system, code);
  return concept([c], c.display);
}
