import { CS } from '../fhir/canonical.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import { means } from '../mapping/terminology.js';
import { refOf, ukDate, whoRecorded } from './evidence.js';
import { observationsOf } from './facts/care.js';
import { alertSubjects } from './facts/people.js';
import type { Rule, RuleFinding } from './rule.js';

/**
 * The routine enquiry about domestic abuse could not be asked, and has not been since.
 *
 * Protocol: routine enquiry; where it cannot be asked because the partner is present,
 * record that and find a safe time to ask the mother alone. Alerts while the latest enquiry
 * recorded is "not asked: partner present".
 */
export const domesticAbuseEnquiryOutstanding: Rule = {
  id: 'domestic-abuse-enquiry-outstanding',
  version: '1.0.0',
  title: 'Domestic abuse routine enquiry outstanding',
  protocol: {
    name: 'Domestic violence and abuse: routine enquiry (NICE PH50); ask when the woman is alone',
    url: 'https://www.nice.org.uk/guidance/ph50',
    learning: 'Where the enquiry cannot be asked because the partner is present, record that and find a safe time to ask alone.',
  },
  settings: { schema: {}, defaults: {} },
  evaluate(picture: FamilyPicture): RuleFinding[] {
    const latest = observationsOf(picture, picture.key, 'domestic-abuse-enquiry').at(-1);
    if (!latest || !means(latest.valueCodeableConcept, CS.daEnquiryOutcome, 'not-asked-partner-present')) return [];
    return alertSubjects(picture).map((subject) => ({
      subject,
      priority: 'medium' as const,
      summary: 'Domestic abuse enquiry not yet asked: partner was present. Find a safe time to ask alone',
      detail: `The routine enquiry about domestic abuse could not be asked at the contact on ${ukDate(latest.effectiveDateTime!)} (${whoRecorded(latest)}) because the partner was present, and none has been recorded since.`,
      action: 'Find a safe time and place to ask the mother about domestic abuse when she is alone, and record the outcome.',
      evidence: [refOf(latest), ...(latest.encounter?.reference ? [latest.encounter.reference] : [])],
    }));
  },
};
