import { birthNotNotified } from './birth-not-notified.js';
import { bruisingNonMobileInfant } from './bruising-non-mobile-infant.js';
import { childProtectionPlan } from './child-protection-plan.js';
import { domesticAbuseEnquiryOutstanding } from './domestic-abuse-enquiry-outstanding.js';
import { iconSafeSleepNotRecorded } from './icon-safe-sleep-not-recorded.js';
import { infantVulnerability } from './infant-vulnerability.js';
import { multipleRiskFactors } from './multiple-risk-factors.js';
import { partnerRiskHistory } from './partner-risk-history.js';
import type { Rule } from './rule.js';
import { ubbCaseClosedEarly } from './ubb-case-closed-early.js';
import { unbornBabyProtocolReferral } from './unborn-baby-protocol-referral.js';
import { unknownAdults } from './unknown-adults.js';
import { wasNotBrought } from './was-not-brought.js';

/**
 * The rule catalogue, in the order of the rules issue. Rule ids are part of Cradle's external
 * interface: they are the codes of the safeguarding-rule CodeSystem
 * (profiles/CodeSystem-safeguarding-rule.json) and of every Flag Cradle raises.
 */
export const RULES: readonly Rule[] = [
  bruisingNonMobileInfant,
  unbornBabyProtocolReferral,
  ubbCaseClosedEarly,
  multipleRiskFactors,
  infantVulnerability,
  wasNotBrought,
  unknownAdults,
  partnerRiskHistory,
  domesticAbuseEnquiryOutstanding,
  iconSafeSleepNotRecorded,
  childProtectionPlan,
  birthNotNotified,
];

/** Settings every rule takes: the local protocol it should cite (each partnership has its own). */
const COMMON_SETTINGS = { protocolUrl: { type: 'string', format: 'uri' } } as const;

/** Each rule's settings schema and defaults, for the config loader to validate CRADLE_CONFIG `rules`. */
export const RULE_SETTINGS: Readonly<Record<string, { schema: Record<string, unknown>; defaults: Record<string, unknown> }>> =
  Object.fromEntries(RULES.map((r) => [r.id, { schema: { ...COMMON_SETTINGS, ...r.settings.schema }, defaults: r.settings.defaults }]));
