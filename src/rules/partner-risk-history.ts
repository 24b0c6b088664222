import { agencyOf } from '../fhir/agency.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import { provenanceWords, refOf, roleWords, listOnce } from './evidence.js';
import { currentFactors, FACTOR_WORDS, type FactorKey } from './facts/factors.js';
import { adultsAround, alertSubjects } from './facts/people.js';
import type { Rule, RuleFinding } from './rule.js';

const RISKS: readonly FactorKey[] = ['previous-convictions', 'domestic-abuse', 'substance-misuse', 'cannabis-use', 'alcohol-misuse'];

/**
 * A partner's or household adult's history that another agency holds.
 *
 * Learning: partners' histories of violence, convictions and substance misuse were held by
 * adult services, GPs or the police and not shared with those looking after the baby ("The
 * Myth of Invisible Men"). This is the cross-agency join maternity could not see: it alerts
 * on such a history about an adult other than the mother, recorded by an agency other than
 * maternity.
 */
export const partnerRiskHistory: Rule = {
  id: 'partner-risk-history',
  version: '1.0.0',
  title: 'Risk history of an adult around the baby',
  protocol: {
    name: 'The Myth of Invisible Men (CSPR Panel, 2021); Working Together to Safeguard Children 2023: share early',
    url: 'https://readkong.com/page/the-myth-of-invisible-men-safeguarding-children-under-1-4403069',
    learning: 'Partners\' histories of violence, convictions and substance misuse not shared between adult and children\'s services.',
  },
  settings: { schema: {}, defaults: {} },
  evaluate(picture: FamilyPicture): RuleFinding[] {
    const subjects = alertSubjects(picture);
    const others = adultsAround(picture).filter((a) => a.role !== 'mother').map((a) => a.id);
    const facts = currentFactors(picture, others, RISKS).filter((f) => {
      const agency = agencyOf(f.resource);
      return agency !== undefined && agency !== 'maternity';
    });
    if (subjects.length === 0 || facts.length === 0) return [];
    return subjects.map((subject) => ({
      subject,
      priority: 'high' as const,
      summary: 'Another agency records a risk history for an adult around the baby',
      detail: `Recorded by other agencies about adults around the baby: ${listOnce(facts.map((f) => `${FACTOR_WORDS[f.factor]} (${f.about ?? roleWords(picture, f.personId)}), ${provenanceWords(f.resource)}`))}.`,
      action: 'Take this history into the assessment of the baby\'s safety with the agency that holds it; consider a referral to children\'s social care if it is not already known there.',
      evidence: [...new Set(facts.map((f) => refOf(f.resource)))],
    }));
  },
};
