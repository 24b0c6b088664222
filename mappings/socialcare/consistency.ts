import type { Issue } from '../../src/fhir/outcome.js';
import { EPISODE_EVENTS, endDateOf, startDateOf } from './facets.js';
import type { SocialCareEvent } from './record.js';

/**
 * The contract rules JSON Schema cannot express: who the child is, what each event must
 * carry, and dates in order. Returns every problem, each pointing at its field.
 */
export function consistencyIssues(e: SocialCareEvent): Issue[] {
  return [...childIssues(e), ...detailIssues(e), ...dateIssues(e)];
}

function childIssues(e: SocialCareEvent): Issue[] {
  const c = e.child;
  const issues: Issue[] = [];
  if (!c.nhsNumber && !c.birthDate && !c.expectedBirthDate) {
    issues.push(missing('$.child.birthDate', 'a child needs an NHS number, a birth date, or (unborn) an expected birth date'));
  }
  if (!c.birthDate && c.expectedBirthDate && !c.nhsNumber && !c.motherNhsNumber) {
    issues.push(missing('$.child.motherNhsNumber', 'an unborn child is identified by the mother\'s NHS number with the expected birth date (as CP-IS does)'));
  }
  if (c.nhsNumber && c.nhsNumber === c.motherNhsNumber) {
    issues.push(inconsistent('$.child.motherNhsNumber', 'is the child\'s own NHS number'));
  }
  (e.details?.householdMembers ?? []).forEach((m, i) => {
    if (m.nhsNumber && m.nhsNumber === c.nhsNumber) issues.push(inconsistent(`$.details.householdMembers[${i}].nhsNumber`, 'is the child\'s own NHS number'));
  });
  return issues;
}

function detailIssues(e: SocialCareEvent): Issue[] {
  const d = e.details ?? {};
  const episode = EPISODE_EVENTS[e.event];
  const issues: Issue[] = [];
  if (episode?.ends && !d.startDate) {
    issues.push(missing('$.details.startDate', `is required for ${e.event}: it identifies the ${episode.kind === 'cin-episode' ? 'case' : 'plan'} that ends`));
  }
  if ((e.event === 'cp-plan-start' || e.event === 'cp-plan-end') && !d.categoryOfAbuse) {
    issues.push(missing('$.details.categoryOfAbuse', `is required for ${e.event}: each CP plan event states the plan's (latest) category`));
  }
  if (e.event === 'household-updated' && !d.householdMembers) {
    issues.push(missing('$.details.householdMembers', 'is required for household-updated (an empty list means nobody else lives there)'));
  }
  if (e.event === 'assessment-completed' && !d.assessmentFactors) {
    issues.push(missing('$.details.assessmentFactors', 'is required for assessment-completed (["21"] when no factors were identified)'));
  }
  if (d.reasonForClosure && e.event !== 'case-closed') {
    issues.push(inconsistent('$.details.reasonForClosure', 'is only meaningful on case-closed'));
  }
  return issues;
}

function dateIssues(e: SocialCareEvent): Issue[] {
  const episode = EPISODE_EVENTS[e.event];
  const issues: Issue[] = [];
  if (episode?.ends && e.details?.startDate && endDateOf(e) < startDateOf(e)) {
    issues.push(inconsistent(e.details.endDate ? '$.details.endDate' : '$.occurredAt', `is before the start date ${startDateOf(e)}`));
  }
  return issues;
}

function missing(path: string, why: string): Issue {
  return { code: 'CRADLE_INPUT_MISSING', expression: [path], diagnostics: `${path} ${why}` };
}

function inconsistent(path: string, why: string): Issue {
  return { code: 'CRADLE_INPUT_INCONSISTENT', expression: [path], diagnostics: `${path} ${why}` };
}
