import { SYSTEM } from '../fhir/canonical.js';
import type { AnyResource, Patient } from '../fhir/types.js';
import type { MatchScore } from './match-score.js';

/**
 * Born between 12 weeks before and 4 weeks after the expected date: wide enough for a very
 * premature or late baby, narrow enough that the mother's next pregnancy is never taken for
 * this one.
 */
export const BIRTH_WINDOW_DAYS = { before: 84, after: 28 } as const;
const DAY = 86_400_000;

/** An unborn child as CP-IS identifies one: the mother's NHS number and the expected date. */
export function unbornKey(p: Patient): { motherNhs: string; edd: string } | undefined {
  const value = p.identifier?.find((i) => i.system === SYSTEM.unbornChild)?.value;
  const [motherNhs, edd] = value?.split('|') ?? [];
  return motherNhs && edd ? { motherNhs, edd } : undefined;
}

export function bornWithinWindow(edd: string, birthDate: string): boolean {
  const born = Date.parse(birthDate.slice(0, 10));
  const expected = Date.parse(edd.slice(0, 10));
  return born >= expected - BIRTH_WINDOW_DAYS.before * DAY && born <= expected + BIRTH_WINDOW_DAYS.after * DAY;
}

export function windowAround(edd: string): { from: string; to: string } {
  const expected = Date.parse(edd.slice(0, 10));
  return {
    from: new Date(expected - BIRTH_WINDOW_DAYS.before * DAY).toISOString().slice(0, 10),
    to: new Date(expected + BIRTH_WINDOW_DAYS.after * DAY).toISOString().slice(0, 10),
  };
}

/** The NHS number of a child's mother, as a RelatedPerson (MTH) in the same source names her. */
export function motherNhsOf(resources: readonly AnyResource[], childId: string): string | undefined {
  for (const r of resources) {
    if (r.resourceType !== 'RelatedPerson' || r.patient.reference !== `Patient/${childId}`) continue;
    if (!r.relationship?.some((cc) => cc.coding?.some((c) => c.code === 'MTH'))) continue;
    const nhs = r.identifier?.find((i) => i.system === SYSTEM.nhsNumber)?.value;
    if (nhs) return nhs;
  }
  return undefined;
}

/** The review-list entry when a multiple birth leaves open which baby an unborn plan belongs to. */
export function multipleBirthReview(edd: string): MatchScore {
  return {
    outcome: 'POSSIBLE_MATCH',
    score: 0,
    fields: [{ field: 'rule', result: `unborn child expected ${edd}; more than one baby of this mother born near that date: choose which (or none)`, weight: 0 }],
    thresholds: { match: 0, possible: 0 },
  };
}
