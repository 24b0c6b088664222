import { CS } from './canonical.js';
import { ISSUE_CODES, isIssueCode, type IssueCode } from './issue-codes.js';
import type { OperationOutcome, OperationOutcomeIssue } from './types.js';

/** One problem, in Cradle's terms; {@link toOutcome} turns a list into an OperationOutcome. */
export interface Issue {
  code: IssueCode;
  /** Human-readable detail. Never include payload values that could identify a person. */
  diagnostics?: string;
  /** Where: `$.mother.birthDate` for input, `PID-7` for ER7, FHIRPath for FHIR output. */
  expression?: string[];
}

/**
 * Cradle's one error class. Carries one or more issues; the most severe gives the HTTP
 * status and whether a worker retries. Gateway and workers both turn it into an
 * OperationOutcome with {@link toOutcome}.
 *
 * @example throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: 'No Flag/123' })
 */
export class CradleError extends Error {
  readonly issues: readonly Issue[];

  constructor(code: IssueCode, detail: Omit<Issue, 'code'> = {}, options?: { cause?: unknown }) {
    super(detail.diagnostics ?? ISSUE_CODES[code].title, options);
    this.name = 'CradleError';
    this.issues = [{ code, ...detail }];
  }

  static of(issues: Issue[]): CradleError {
    if (issues.length === 0) throw new Error('CradleError.of needs at least one issue');
    const [first] = issues as [Issue, ...Issue[]];
    const err = new CradleError(first.code, first);
    (err as { issues: readonly Issue[] }).issues = issues;
    return err;
  }

  get status(): number {
    return statusOf(this.issues);
  }

  /** True when the failure may pass if tried again (network, 5xx, store not ready). */
  get retryable(): boolean {
    return this.issues.some((i) => ISSUE_CODES[i.code].retry);
  }

  toOutcome(): OperationOutcome {
    return toOutcome(this.issues);
  }
}

const SEVERITY_RANK = { fatal: 3, error: 2, warning: 1, information: 0 } as const;

/** The HTTP status of the most severe issue (ties: the first). */
export function statusOf(issues: readonly Issue[]): number {
  let best: Issue | undefined;
  for (const issue of issues) {
    if (!best || SEVERITY_RANK[ISSUE_CODES[issue.code].severity] > SEVERITY_RANK[ISSUE_CODES[best.code].severity]) {
      best = issue;
    }
  }
  return best ? ISSUE_CODES[best.code].status : 200;
}

export function toOutcomeIssue(issue: Issue): OperationOutcomeIssue {
  const def = ISSUE_CODES[issue.code];
  return {
    severity: def.severity,
    code: def.type as OperationOutcomeIssue['code'],
    details: { coding: [{ system: CS.issueCode, code: issue.code, display: def.title }] },
    ...(issue.diagnostics ? { diagnostics: issue.diagnostics } : {}),
    ...(issue.expression?.length ? { expression: issue.expression } : {}),
  };
}

export function toOutcome(issues: readonly Issue[]): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: issues.map(toOutcomeIssue) };
}

/** An informational outcome, e.g. for a duplicate or a superseded version. */
export function informational(code: IssueCode, diagnostics?: string): OperationOutcome {
  return toOutcome([{ code, ...(diagnostics ? { diagnostics } : {}) }]);
}

/** Reads Cradle issues back from a stored OperationOutcome (unknown codes become CRADLE_INTERNAL). */
export function issuesOf(outcome: OperationOutcome): Issue[] {
  return outcome.issue.map((i) => {
    const code = i.details?.coding?.find((c) => c.system === CS.issueCode)?.code ?? '';
    return {
      code: isIssueCode(code) ? code : 'CRADLE_INTERNAL',
      ...(i.diagnostics ? { diagnostics: i.diagnostics } : {}),
      ...(i.expression ? { expression: i.expression } : {}),
    };
  });
}

/**
 * Any thrown value as a CradleError. Non-Cradle errors (a dropped connection, a bug)
 * become CRADLE_INTERNAL, which is retryable: the input is kept, so retrying is safe.
 * The original error is kept as `cause` for the log, never sent to clients.
 */
export function asCradleError(err: unknown): CradleError {
  if (err instanceof CradleError) return err;
  const name = err instanceof Error ? err.name : typeof err;
  return new CradleError('CRADLE_INTERNAL', { diagnostics: `Unexpected ${name}` }, { cause: err });
}
