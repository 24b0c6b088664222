import { describe, expect, it } from 'vitest';
import type { DetectedIssue, Flag } from '../fhir/types.js';
import { validateResources } from '../fhir/validator.js';
import { reconcileAlerts } from './alerts.js';
import { bruisingNonMobileInfant } from './bruising-non-mobile-infant.js';
import { runRules } from './engine.js';
import { PictureBuilder } from './picture.fixture.js';
import type { Rule } from './rule.js';

const BORN = '2026-05-10T06:00:00Z';
const T1 = '2026-05-21T00:00:00Z';
const T2 = '2026-05-22T00:00:00Z';
const settings = { 'bruising-non-mobile-infant': { enabled: true, nonMobileAgeMonths: 6 } };
const bruised = () => new PictureBuilder().baby('b1', BORN).finding('b1', 'bruise', '2026-05-20T11:00:00Z', { site: 'chest' });
const flagsOf = (r: Array<Flag | DetectedIssue>) => r.filter((x): x is Flag => x.resourceType === 'Flag');

describe('reconcileAlerts', () => {
  it('creates a profile-valid Flag and DetectedIssue whose evidence and protocol are recorded', () => {
    const picture = bruised().build();
    const { resources } = reconcileAlerts(picture, runRules(picture, [bruisingNonMobileInfant], settings, T1), T1);
    expect(resources.map((r) => r.resourceType)).toEqual(['Flag', 'DetectedIssue']);
    expect(validateResources(resources)).toEqual([]);
    const [flag, issue] = resources as [Flag, DetectedIssue];
    expect(flag.status).toBe('active');
    expect(flag.period).toEqual({ start: T1 });
    expect(flag.extension?.find((e) => e.url.endsWith('flag-detail'))?.valueReference?.reference).toBe(`DetectedIssue/${issue.id}`);
    expect(issue.reference).toBe(bruisingNonMobileInfant.protocol.url);
    expect(issue.evidence?.[0]?.detail?.map((d) => d.reference)).toEqual(['Observation/obs-1', 'Patient/b1']);
  });

  it('is deterministic: the same concern keeps its id and start date on re-assessment', () => {
    const first = bruised().build();
    const [flag] = flagsOf(reconcileAlerts(first, runRules(first, [bruisingNonMobileInfant], settings, T1), T1).resources);
    const again = bruised().withFlags([flag!]).build();
    const [same] = flagsOf(reconcileAlerts(again, runRules(again, [bruisingNonMobileInfant], settings, T2), T2).resources);
    expect(same).toEqual(flag);
  });

  it('sets a Flag inactive with an end date when its concern no longer holds, and never deletes it', () => {
    const first = bruised().build();
    const [flag] = flagsOf(reconcileAlerts(first, runRules(first, [bruisingNonMobileInfant], settings, T1), T1).resources);
    const cleared = new PictureBuilder().baby('b1', BORN).withFlags([flag!]).build();
    const changes = reconcileAlerts(cleared, runRules(cleared, [bruisingNonMobileInfant], settings, T2), T2);
    expect(changes.withdrawn).toEqual([flag!.id]);
    expect(flagsOf(changes.resources)).toEqual([{ ...flag, status: 'inactive', period: { start: T1, end: T2 } }]);
  });

  it('raises an error Flag when a rule throws, and keeps that rule\'s earlier Flags as they were', () => {
    const first = bruised().build();
    const [flag] = flagsOf(reconcileAlerts(first, runRules(first, [bruisingNonMobileInfant], settings, T1), T1).resources);
    const broken: Rule = { ...bruisingNonMobileInfant, evaluate: () => { throw new Error('boom'); } };
    const picture = bruised().withFlags([flag!]).build();
    const runs = runRules(picture, [broken], settings, T2);
    expect(runs[0]!.error?.message).toBe('boom');
    const changes = reconcileAlerts(picture, runs, T2);
    expect(changes.failed.map((f) => f.ruleId)).toEqual(['bruising-non-mobile-infant']);
    expect(changes.withdrawn).toEqual([]);
    const [errorFlag] = flagsOf(changes.resources);
    expect(errorFlag!.code.coding![0]!.code).toBe('rule-error');
    expect(errorFlag!.subject?.reference).toBe('Patient/b1');
    expect(errorFlag!.id).not.toBe(flag!.id);
    expect(validateResources(changes.resources)).toEqual([]);
  });

  it('treats a finding without evidence as a rule failure, not as an alert or a silence', () => {
    const careless: Rule = { ...bruisingNonMobileInfant, evaluate: () => [{ subject: 'b1', priority: 'low', summary: 's', detail: 'd', action: 'a', evidence: [] }] };
    const runs = runRules(bruised().build(), [careless], settings, T1);
    expect(runs[0]!.error?.message).toMatch(/without evidence/);
  });

  it('withdraws the Flags of a rule an operator switched off', () => {
    const first = bruised().build();
    const [flag] = flagsOf(reconcileAlerts(first, runRules(first, [bruisingNonMobileInfant], settings, T1), T1).resources);
    const picture = bruised().withFlags([flag!]).build();
    const off = { 'bruising-non-mobile-infant': { enabled: false } };
    expect(reconcileAlerts(picture, runRules(picture, [bruisingNonMobileInfant], off, T2), T2).withdrawn).toEqual([flag!.id]);
  });
});
