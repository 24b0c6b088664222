import { describe, expect, it } from 'vitest';
import { CS, SYSTEM } from '../fhir/canonical.js';
import { means, terminology, translated } from './terminology.js';

describe('ConceptMap translation', () => {
  it('translates forward only where the target says no more than the source', () => {
    expect(terminology().translate(CS.socialFactor, 'alcohol-misuse').map((t) => t.coding.code)).toEqual(['15167005']);
    // cannabis-use maps only to narrower SNOMED concepts ("abuse", "dependence"): never asserted on output.
    expect(terminology().translate(CS.socialFactor, 'cannabis-use')).toEqual([]);
    expect(translated(CS.socialFactor, 'cannabis-use').coding).toEqual([{ system: CS.socialFactor, code: 'cannabis-use', display: 'Cannabis use' }]);
  });

  it('recognises narrower standard codes from other sources as the Cradle concept', () => {
    expect(means({ coding: [{ system: SYSTEM.snomed, code: '191891003' }] }, CS.socialFactor, 'cannabis-use')).toBe(true);
    expect(means({ coding: [{ system: SYSTEM.snomed, code: '164624008' }] }, CS.findingKind, 'bruise')).toBe(true);
    expect(means({ coding: [{ system: SYSTEM.snomed, code: '164624008' }] }, CS.findingKind, 'injury')).toBe(false);
    expect(means({ coding: [{ system: SYSTEM.snomed, code: '999999' }] }, CS.findingKind, 'bruise')).toBe(false);
  });
});
