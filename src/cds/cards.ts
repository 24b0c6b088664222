import type { RecipientConfig } from '../config/config.js';
import { CS, EXT } from '../fhir/canonical.js';
import type { DetectedIssue, Flag } from '../fhir/types.js';

/** A CDS Hooks 2.0 card (https://cds-hooks.hl7.org/2.0/#card-attributes). */
export interface Card {
  uuid: string;
  summary: string;
  indicator: 'info' | 'warning' | 'critical';
  detail: string;
  source: { label: string; url?: string; topic?: { system: string; code: string; display?: string } };
  links: Array<{ label: string; url: string; type: 'absolute' }>;
  overrideReasons: Array<{ system: string; code: string; display: string }>;
}

export const SERVICE_ID = 'cradle-safeguarding';
export const OVERRIDE_REASON_SYSTEM = 'https://fhir.cradle.org.uk/CodeSystem/cds-override-reason';
const OVERRIDE_REASONS = [
  { system: OVERRIDE_REASON_SYSTEM, code: 'already-known', display: 'Already known and being acted on' },
  { system: OVERRIDE_REASON_SYSTEM, code: 'not-this-patient', display: 'Not about this patient' },
  { system: OVERRIDE_REASON_SYSTEM, code: 'disagree', display: 'Clinical judgement differs (say why)' },
];

const INDICATOR: Record<string, Card['indicator']> = { PH: 'critical', PM: 'warning', PL: 'info' };

/**
 * One card per active Flag: the summary (≤ 140 characters), an indicator from the Flag's
 * priority (high → critical, medium → warning, low → info), the evidence in plain words and
 * the action the protocol recommends, a link to the protocol, and the recipient's own
 * safeguarding contacts so the clinician knows whom to call.
 */
export function cardFor(flag: Flag, issue: DetectedIssue | undefined, contacts: RecipientConfig['safeguardingContacts']): Card {
  const priority = flag.extension?.find((e) => e.url === EXT.flagPriority)?.valueCodeableConcept?.coding?.[0]?.code ?? 'PH';
  const rule = flag.code.coding?.find((c) => c.system === CS.safeguardingRule);
  const summary = (flag.code.text ?? rule?.display ?? 'Safeguarding alert');
  const action = issue?.mitigation?.[0]?.action?.text;
  const detail = [
    issue?.detail,
    action ? `**Recommended action:** ${action}` : undefined,
    contacts.length ? `**Your safeguarding contacts:** ${contacts.map((c) => [c.name, c.phone, c.email].filter(Boolean).join(', ')).join('; ')}` : undefined,
    `_Raised by Cradle on ${flag.period?.start?.slice(0, 10) ?? 'unknown date'} (rule ${rule?.code ?? 'unknown'}). Read-only: act in your own system._`,
  ].filter(Boolean).join('\n\n');
  return {
    uuid: flag.id!,
    summary: summary.length <= 140 ? summary : `${summary.slice(0, 139)}…`,
    indicator: INDICATOR[priority] ?? 'critical',
    detail,
    source: { label: 'Cradle safeguarding alerts', ...(issue?.reference ? { url: issue.reference } : {}), ...(rule?.code ? { topic: { system: CS.safeguardingRule, code: rule.code, ...(rule.display ? { display: rule.display } : {}) } } : {}) },
    links: issue?.reference ? [{ label: `Protocol: ${issue.code?.text ?? rule?.display ?? 'safeguarding protocol'}`, url: issue.reference, type: 'absolute' }] : [],
    overrideReasons: OVERRIDE_REASONS,
  };
}

/** The CDS Hooks discovery document. */
export function discovery() {
  return {
    services: [{
      hook: 'patient-view',
      id: SERVICE_ID,
      title: 'Cradle safeguarding alerts',
      description: 'Active safeguarding alerts Cradle holds for this patient, joined up from maternity, general practice and children\'s social care, with the evidence and the protocol to follow.',
      prefetch: { patient: 'Patient/{{context.patientId}}' },
      usageRequirements: 'Send the patient (prefetch or context) with an NHS number. Cards are only returned for families routed to your organisation.',
    }],
  };
}
