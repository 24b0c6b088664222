import { describe, expect, it } from 'vitest';
import { EXT } from '../fhir/canonical.js';
import type { Flag } from '../fhir/types.js';
import { alertLines } from './print-alerts.js';

const flag = (rule: string, priority: string, text: string): Flag => ({
  resourceType: 'Flag', status: 'active', code: { coding: [{ code: rule }], text }, subject: { reference: 'Patient/x' },
  extension: [{ url: EXT.flagPriority, valueCodeableConcept: { coding: [{ code: priority }] } }],
});

describe('alertLines', () => {
  it('lists the highest priority first, then by rule, aligned', () => {
    expect(alertLines([flag('was-not-brought', 'PM', 'Two missed'), flag('icon', 'PL', 'No ICON'), flag('bruising-non-mobile-infant', 'PH', 'Bruise')], false)).toEqual([
      '  HIGH    bruising-non-mobile-infant  Bruise',
      '  MEDIUM  was-not-brought             Two missed',
      '  LOW     icon                        No ICON',
    ]);
  });

  it('colours the priority on a terminal', () => {
    expect(alertLines([flag('r', 'PH', 's')], true)[0]).toBe('  \x1b[31mHIGH  \x1b[0m  r  s');
  });
});
