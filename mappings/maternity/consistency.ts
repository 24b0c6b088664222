import type { Issue } from '../../src/fhir/outcome.js';
import type { MaternityRecord } from './record.js';

/**
 * Checks the contract cannot express in JSON Schema: every subject names someone in the
 * record, and local ids are unique. Returns every problem, each pointing at its field.
 */
export function consistencyIssues(record: MaternityRecord): Issue[] {
  const issues: Issue[] = [];
  const babies = new Set((record.babies ?? []).map((b) => b.localId));
  const household = new Set((record.householdMembers ?? []).map((m) => m.localId));
  const check = (subject: string, path: string) => {
    const problem = subjectProblem(subject, record, babies, household);
    if (problem) issues.push({ code: 'CRADLE_INPUT_INCONSISTENT', expression: [path], diagnostics: `${path} ${problem}` });
  };
  duplicates((record.babies ?? []).map((b) => b.localId), '$.babies', 'localId', issues);
  duplicates((record.householdMembers ?? []).map((m) => m.localId), '$.householdMembers', 'localId', issues);
  duplicates((record.contacts ?? []).map((c) => c.contactId), '$.contacts', 'contactId', issues);
  (record.socialFactors ?? []).forEach((f, i) => check(f.subject, `$.socialFactors[${i}].subject`));
  (record.referrals ?? []).forEach((r, i) => check(r.subject, `$.referrals[${i}].subject`));
  (record.contacts ?? []).forEach((c, i) => {
    check(c.subject, `$.contacts[${i}].subject`);
    (c.findings ?? []).forEach((f, j) => check(f.subject, `$.contacts[${i}].findings[${j}].subject`));
  });
  return issues;
}

function subjectProblem(subject: string, record: MaternityRecord, babies: Set<string>, household: Set<string>): string | undefined {
  if (subject === 'mother') return undefined;
  if (subject === 'partner') return record.partner ? undefined : 'names the partner but the record has no partner';
  const [kind, id = ''] = subject.split(/:(.*)/s, 2) as [string, string?];
  if (kind === 'baby' && !babies.has(id)) return `names baby ${id} but the record has no such baby`;
  if (kind === 'household' && !household.has(id)) return `names household member ${id} but the record has no such member`;
  return undefined;
}

function duplicates(ids: string[], path: string, field: string, issues: Issue[]): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) issues.push({ code: 'CRADLE_INPUT_INCONSISTENT', expression: [`${path}[${i}].${field}`], diagnostics: `${path}[${i}].${field} repeats an earlier ${field}` });
    seen.add(id);
  });
}
