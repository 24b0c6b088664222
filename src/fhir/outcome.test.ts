import { describe, expect, it } from 'vitest';
import { asCradleError, CradleError, issuesOf, statusOf } from './outcome.js';

describe('OperationOutcome currency', () => {
  it('carries the catalogue code, severity and FHIR issue type, pointing at the field', () => {
    const outcome = new CradleError('CRADLE_INPUT_MISSING', { expression: ['$.mother.birthDate'], diagnostics: '$.mother.birthDate is required' }).toOutcome();
    expect(outcome).toEqual({ resourceType: 'OperationOutcome', issue: [{
      severity: 'error', code: 'required', expression: ['$.mother.birthDate'], diagnostics: '$.mother.birthDate is required',
      details: { coding: [{ system: 'https://fhir.cradle.org.uk/CodeSystem/issue-code', code: 'CRADLE_INPUT_MISSING', display: 'Required field missing' }] },
    }] });
    expect(issuesOf(outcome)).toEqual([{ code: 'CRADLE_INPUT_MISSING', expression: ['$.mother.birthDate'], diagnostics: '$.mother.birthDate is required' }]);
  });

  it('takes the HTTP status of the most severe issue, and knows what to retry', () => {
    expect(statusOf([{ code: 'CRADLE_VERSION_SUPERSEDED' }, { code: 'CRADLE_INPUT_INVALID' }])).toBe(422);
    expect(statusOf([{ code: 'CRADLE_INPUT_INVALID' }, { code: 'CRADLE_CONFIG_INVALID' }])).toBe(500);
    expect(new CradleError('CRADLE_RECIPIENT_UNAVAILABLE').retryable).toBe(true);
    expect(new CradleError('CRADLE_RECIPIENT_REJECTED').retryable).toBe(false);
  });

  it('wraps unexpected errors as a retryable internal error without leaking their message', () => {
    const wrapped = asCradleError(new TypeError('secret detail from a payload'));
    expect(wrapped.issues[0]!.code).toBe('CRADLE_INTERNAL');
    expect(JSON.stringify(wrapped.toOutcome())).not.toContain('secret');
    expect(wrapped.retryable).toBe(true);
  });
});
