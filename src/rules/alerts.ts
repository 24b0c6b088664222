import { CS, EXT, PROFILE, SYSTEM } from '../fhir/canonical.js';
import type { DetectedIssue, Flag } from '../fhir/types.js';
import type { FamilyPicture } from '../identity/family-picture.js';
import { alertSubjects } from './facts/people.js';
import { cradleCoding } from '../mapping/code-systems.js';
import { deterministicId } from '../mapping/ids.js';
import type { RuleRun } from './engine.js';
import type { Priority, Rule, RuleFinding } from './rule.js';

const PRIORITY_CODE: Record<Priority, { code: string; display: string }> = {
  high: { code: 'PH', display: 'High priority' },
  medium: { code: 'PM', display: 'Medium priority' },
  low: { code: 'PL', display: 'Low priority' },
};
const SEVERITY: Record<Priority, DetectedIssue['severity']> = { high: 'high', medium: 'moderate', low: 'low' };

export function flagId(ruleId: string, subject: string): string {
  return deterministicId('flag', ruleId, subject);
}

export interface AlertChanges {
  /** Flags and DetectedIssues to write (unchanged ones are no-ops in the store). */
  resources: Array<Flag | DetectedIssue>;
  /** Ids of Flags set inactive by this assessment. */
  withdrawn: string[];
  /** Rules that failed, for the metric and the log. */
  failed: Array<{ ruleId: string; error: Error }>;
}

/**
 * Turns rule runs into the Flags and DetectedIssues the family should have, diffed against
 * the ones it has: one Flag per rule and subject (deterministic id), created, updated
 * (priority, evidence) or set inactive with an end date — never deleted, never duplicated.
 * A failed rule raises a `rule-error` Flag on each subject it covers and leaves its earlier
 * Flags as they were: its concern is unknown, not gone.
 */
export function reconcileAlerts(picture: FamilyPicture, runs: readonly RuleRun[], now: string,
  protocolUrl: (rule: Rule) => string = (r) => r.protocol.url): AlertChanges {
  const existing = new Map(picture.flags.map((f) => [f.id!, f]));
  const desired = new Map<string, Flag | DetectedIssue>();
  const keep = new Set<string>();
  const failed: AlertChanges['failed'] = [];
  for (const run of runs) {
    if (run.error) {
      failed.push({ ruleId: run.rule.id, error: run.error });
      for (const f of picture.flags) if (ruleOf(f) === run.rule.id) keep.add(f.id!);
      for (const subject of subjectsOf(picture)) add(desired, alertFor(run.rule, errorFinding(run.rule, subject), 'rule-error', existing, now, protocolUrl(run.rule)));
      continue;
    }
    for (const finding of run.findings) add(desired, alertFor(run.rule, finding, run.rule.id, existing, now, protocolUrl(run.rule)));
  }
  const withdrawn: string[] = [];
  for (const flag of picture.flags) {
    if (flag.status !== 'active' || desired.has(`Flag/${flag.id}`) || keep.has(flag.id!) || isEscalation(flag)) continue;
    desired.set(`Flag/${flag.id}`, { ...flag, meta: { profile: flag.meta?.profile ?? [PROFILE.safeguardingFlag] }, status: 'inactive', period: { ...flag.period, end: now } });
    withdrawn.push(flag.id!);
  }
  return { resources: [...desired.values()], withdrawn, failed };
}

function add(map: Map<string, Flag | DetectedIssue>, pair: [Flag, DetectedIssue]): void {
  for (const r of pair) map.set(`${r.resourceType}/${r.id}`, r);
}

function alertFor(rule: Rule, f: RuleFinding, code: string, existing: Map<string, Flag>, now: string, protocol: string): [Flag, DetectedIssue] {
  const id = flagId(code === 'rule-error' ? `rule-error|${rule.id}` : rule.id, f.subject);
  const issueId = deterministicId('detected-issue', id);
  const previous = existing.get(id);
  // A Flag that stays active keeps its start, so re-assessing an unchanged family writes nothing.
  const start = previous?.status === 'active' && previous.period?.start ? previous.period.start : now;
  const ruleCoding = cradleCoding(CS.safeguardingRule, code);
  const version = { url: EXT.ruleVersion, valueString: `${rule.id}@${rule.version}` };
  const flag: Flag = {
    resourceType: 'Flag',
    id,
    meta: { profile: [PROFILE.safeguardingFlag] },
    extension: [
      { url: EXT.flagPriority, valueCodeableConcept: { coding: [{ system: SYSTEM.flagPriority, ...PRIORITY_CODE[f.priority] }] } },
      { url: EXT.flagDetail, valueReference: { reference: `DetectedIssue/${issueId}` } },
      version,
    ],
    identifier: [{ system: SYSTEM.flag, value: id }],
    status: 'active',
    category: [{ coding: [cradleCoding(CS.flagCategory, 'safeguarding')], text: 'Safeguarding' }],
    code: { coding: [ruleCoding], text: f.summary },
    subject: { reference: `Patient/${f.subject}` },
    period: { start },
    author: { display: 'Cradle safeguarding rules' },
  };
  const issue: DetectedIssue = {
    resourceType: 'DetectedIssue',
    id: issueId,
    meta: { profile: [PROFILE.safeguardingDetectedIssue] },
    extension: [version],
    identifier: [{ system: SYSTEM.detectedIssue, value: issueId }],
    status: 'final',
    code: { coding: [ruleCoding], text: rule.title },
    severity: SEVERITY[f.priority],
    patient: { reference: `Patient/${f.subject}` },
    identifiedDateTime: start,
    implicated: f.evidence.map((reference) => ({ reference })),
    detail: f.detail,
    reference: protocol,
    evidence: [{ detail: f.evidence.map((reference) => ({ reference })) }],
    mitigation: [{ action: { text: f.action } }],
  };
  return [flag, issue];
}

/**
 * What a whole assessment that could not complete is reported as: not a catalogue rule, the
 * assessment itself. Its error Flags are withdrawn by the next assessment that completes,
 * like any Flag no rule wants any more.
 */
export const ASSESSMENT: Rule = {
  id: 'assessment',
  version: '1.0.0',
  title: 'Safeguarding assessment of the family',
  protocol: {
    name: 'Review the family manually while Cradle cannot assess it',
    url: 'https://fhir.cradle.org.uk/protocol/assessment-failed',
    learning: 'A rule that fails must surface as an error alert, never as "no concern".',
  },
  settings: { schema: {}, defaults: {} },
  evaluate: () => [],
};

/** High-priority `rule-error` Flags saying no rule could be run for these subjects. */
export function assessmentFailedAlerts(subjects: readonly string[], existing: readonly Flag[], now: string): Array<Flag | DetectedIssue> {
  const byId = new Map(existing.map((f) => [f.id!, f]));
  return subjects.flatMap((subject) => alertFor(ASSESSMENT, {
    subject,
    priority: 'high',
    summary: 'Cradle could not assess this family: no safeguarding rule ran. Review the records manually',
    detail: 'Cradle failed to assess this family, so none of its safeguarding rules ran: every concern is unknown, not absent. The failure is logged for the Cradle operators, and the assessment is retried.',
    action: 'Review the family\'s records against your safeguarding protocols until this alert is withdrawn.',
    evidence: [`Patient/${subject}`],
  }, 'rule-error', byId, now, ASSESSMENT.protocol.url));
}

/** Who an error Flag is about: the family's alert subjects, or the mother when it has none yet. */
export function subjectsOf(picture: FamilyPicture): string[] {
  const ids = alertSubjects(picture);
  return ids.length > 0 ? ids : [picture.key];
}

function errorFinding(rule: Rule, subject: string): RuleFinding {
  return {
    subject,
    priority: 'high',
    summary: `Safeguarding rule ${rule.id} could not run: review this family's records manually`.slice(0, 140),
    detail: `The safeguarding rule "${rule.title}" failed while assessing this family, so its concern is unknown, not absent. The failure is logged for the Cradle operators.`,
    action: `Review the family's records against the protocol "${rule.protocol.name}" until the rule runs again.`,
    evidence: [`Patient/${subject}`],
  };
}

/** Escalations belong to the escalation sweep (src/pipeline/escalation.ts), not to the rules. */
export function isEscalation(flag: Flag): boolean {
  return flag.code.coding?.some((c) => c.system === CS.safeguardingRule && c.code === 'alert-not-seen') === true;
}

function ruleOf(flag: Flag): string | undefined {
  return flag.extension?.find((e) => e.url === EXT.ruleVersion)?.valueString?.split('@')[0];
}
