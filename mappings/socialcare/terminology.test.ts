import { describe, expect, it } from 'vitest';
import { CS, SYSTEM } from '../../src/fhir/canonical.js';
import { means, translated } from '../../src/mapping/terminology.js';

const codes = (system: string, code: string) => translated(system, code).coding!.map((c) => `${c.system === SYSTEM.snomed ? 'sct' : c.system === SYSTEM.v3RoleCode ? 'v3' : 'cradle'}|${c.code}`);

describe('children\'s social care terminology (profiles/ConceptMap-*.json)', () => {
  it('recognises parental CIN assessment factors as the Cradle social factors rules match on', () => {
    expect(means(translated(CS.cinAssessmentFactor, '2B'), CS.socialFactor, 'substance-misuse')).toBe(true);
    expect(means(translated(CS.cinAssessmentFactor, '2C'), CS.socialFactor, 'substance-misuse')).toBe(true);
    expect(means(translated(CS.cinAssessmentFactor, '1B'), CS.socialFactor, 'alcohol-misuse')).toBe(true);
    for (const f of ['3A', '3B', '3C']) expect(means(translated(CS.cinAssessmentFactor, f), CS.socialFactor, 'domestic-abuse')).toBe(true);
    expect(means(translated(CS.cinAssessmentFactor, '4B'), CS.socialFactor, 'mental-health')).toBe(true);
  });

  it('does not read the child\'s own needs (A variants) as parental factors', () => {
    expect(means(translated(CS.cinAssessmentFactor, '2A'), CS.socialFactor, 'substance-misuse')).toBe(false);
    expect(means(translated(CS.cinAssessmentFactor, '4A'), CS.socialFactor, 'mental-health')).toBe(false);
  });

  it('adds nothing to a maternity social factor: CIN codes are narrower and only read in reverse', () => {
    expect(codes(CS.socialFactor, 'substance-misuse')).toEqual(['cradle|substance-misuse', 'sct|66214007']);
  });

  it('codes the category of abuse in SNOMED CT where a concept says the same, and MUL in Cradle\'s code only', () => {
    expect(codes(CS.cinCategoryOfAbuse, 'NEG')).toEqual(['cradle|NEG', 'sct|802271000000100']);
    expect(codes(CS.cinCategoryOfAbuse, 'MUL')).toEqual(['cradle|MUL']);
  });

  it('types plans with the NHS England child protection plan concepts, and recognises the plan concept in reverse', () => {
    expect(codes(CS.socialCareEpisode, 'cp-plan')).toEqual(['cradle|cp-plan', 'sct|342191000000101']);
    expect(codes(CS.socialCareEpisode, 'cp-plan-unborn')).toEqual(['cradle|cp-plan-unborn', 'sct|818901000000100']);
    expect(codes(CS.socialCareEpisode, 'cin-episode')).toEqual(['cradle|cin-episode']);
    expect(means({ coding: [{ system: SYSTEM.snomed, code: '1064311000000109' }] }, CS.socialCareEpisode, 'cp-plan')).toBe(true);
  });

  it('relates household members to the child in HL7 v3 RoleCode, except where RoleCode would say more', () => {
    expect(codes(CS.relationshipToChild, 'father')).toEqual(['cradle|father', 'v3|FTH']);
    expect(codes(CS.relationshipToChild, 'parents-partner')).toEqual(['cradle|parents-partner']);
  });
});
