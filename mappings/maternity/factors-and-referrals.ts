import { CS, EXT, PROFILE, SYSTEM } from '../../src/fhir/canonical.js';
import type { Condition, Extension, ServiceRequest } from '../../src/fhir/types.js';
import { cradleCoding } from '../../src/mapping/code-systems.js';
import { coding, concept } from '../../src/mapping/coding.js';
import type { MaternityScope } from './scope.js';
import { translated, withExplicit } from './terminology.js';

/**
 * Social factors as Conditions on the person they concern: clinicalStatus carries
 * current/past, the code carries the Cradle factor (what rules match on) and SNOMED CT
 * (explicit code from the source first, else the ConceptMap's safe translation).
 */
export function mapSocialFactors(scope: MaternityScope): Condition[] {
  return (scope.record.socialFactors ?? []).map((f) => {
    const subject = scope.subject(f.subject);
    const extension: Extension[] = [scope.episodeExtension];
    if (subject.about) extension.push({ url: EXT.about, valueReference: subject.about });
    const condition: Condition = {
      resourceType: 'Condition',
      id: scope.id('social-factor', f.factor, f.subject),
      meta: { profile: [PROFILE.ukCoreCondition] },
      extension,
      clinicalStatus: concept([coding(SYSTEM.conditionClinical, f.status === 'current' ? 'active' : 'inactive')]),
      verificationStatus: concept([coding('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed')]),
      category: [
        concept([coding(SYSTEM.conditionCategory, 'problem-list-item', 'Problem List Item')]),
        concept([cradleCoding(CS.socialFactor, 'social-factor')]),
      ],
      code: withExplicit(CS.socialFactor, f.factor, f.code),
      subject: subject.patient,
    };
    // The rest assigned in JSON order rather than spread from `{}` halves (see people.ts).
    if (f.recordedAt) condition.recordedDate = f.recordedAt;
    condition.asserter = scope.organisation;
    if (f.note) condition.note = [{ text: f.note }];
    return condition;
  });
}

/** Referrals as ServiceRequests; `to` is free text in the contract, kept as performerType text. */
export function mapReferrals(scope: MaternityScope): ServiceRequest[] {
  return (scope.record.referrals ?? []).map((r) => ({
    resourceType: 'ServiceRequest',
    id: scope.id('referral', r.type, r.subject, r.date),
    meta: { profile: [PROFILE.ukCoreServiceRequest] },
    extension: [scope.episodeExtension],
    identifier: [{ system: scope.localSystem('referral'), value: `${scope.record.recordId}/${r.type}/${r.subject}/${r.date}` }],
    status: 'active',
    intent: 'order',
    category: [concept([coding(SYSTEM.snomed, '3457005', 'Patient referral')])],
    code: translated(CS.referralType, r.type),
    subject: scope.subject(r.subject).patient,
    authoredOn: r.date,
    requester: scope.organisation,
    ...(r.to ? { performerType: { text: r.to } } : {}),
  }));
}
