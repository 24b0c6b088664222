import { type Demographics, jaroWinkler, outwardCode } from './demographics.js';

export type MatchOutcome = 'MATCH' | 'POSSIBLE_MATCH' | 'NO_MATCH';

export interface FieldScore {
  field: 'family' | 'given' | 'names-swapped' | 'birthDate' | 'sex' | 'postcode' | 'rule';
  /** What the comparison found, in words an operator reads on the review list. */
  result: string;
  weight: number;
}

export interface MatchScore {
  outcome: MatchOutcome;
  score: number;
  fields: FieldScore[];
  thresholds: { match: number; possible: number };
}

/**
 * Thresholds on the summed weights. Calibrated on the generated near-miss pairs in
 * match-score.test.ts: the same person with an exact name and birth date matches even after
 * moving house; twins (same surname, birth date and postcode, different first name) and
 * namesakes born the same year land on the review list, never merged automatically.
 */
export const THRESHOLDS = { match: 14.5, possible: 9 } as const;

/**
 * Weights in the spirit of Fellegi–Sunter: agreement on a discriminating field adds (birth
 * date most, then surname, first name, postcode), disagreement subtracts. Postcodes
 * disagreeing subtract nothing: families move, and the case reviews are full of them.
 */
const W = {
  familyExact: 4.5, familyClose: 3, familyDiffer: -3,
  givenExact: 3.5, givenClose: 2.5, givenInitial: 1, givenDiffer: -2.5,
  swapPenalty: -1,
  dobExact: 6, dobNear: 3.5, dobSameYear: -2, dobDiffer: -7,
  sexSame: 0.5, sexDiffer: -4,
  postcodeExact: 3, postcodeDistrict: 1.5,
} as const;

/**
 * Scores a person against a candidate, explaining each field. Hard rules come first and
 * are decisive: two different NHS numbers are two people; two different identifiers from
 * the same local system are two people (that system already knows them apart — twins in
 * one maternity record, for example).
 */
export function scoreMatch(a: Demographics, b: Demographics): MatchScore {
  const rule = hardRule(a, b);
  if (rule) return { outcome: 'NO_MATCH', score: -Infinity, fields: [{ field: 'rule', result: rule, weight: -Infinity }], thresholds: THRESHOLDS };
  const fields: FieldScore[] = [...names(a, b), birthDate(a.birthDate, b.birthDate), sex(a.sex, b.sex), postcode(a.postcode, b.postcode)]
    .filter((f): f is FieldScore => f !== undefined);
  const score = Math.round(fields.reduce((s, f) => s + f.weight, 0) * 100) / 100;
  let outcome: MatchOutcome = score >= THRESHOLDS.match ? 'MATCH' : score >= THRESHOLDS.possible ? 'POSSIBLE_MATCH' : 'NO_MATCH';
  // A newborn's placeholder name ("Baby", "Twin 2") cannot tell twins apart: a person decides.
  if (outcome === 'MATCH' && (a.placeholderName || b.placeholderName)) {
    outcome = 'POSSIBLE_MATCH';
    fields.push({ field: 'rule', result: 'a placeholder given name (an unnamed newborn): never linked without review', weight: 0 });
  }
  return { outcome, score, fields, thresholds: THRESHOLDS };
}

function hardRule(a: Demographics, b: Demographics): string | undefined {
  if (a.nhsNumber && b.nhsNumber && a.nhsNumber !== b.nhsNumber) return 'different NHS numbers';
  const bIds = new Set(b.identifiers);
  for (const system of a.identifierSystems) {
    if (!b.identifierSystems.includes(system)) continue;
    const shared = a.identifiers.some((id) => id.startsWith(`${system}|`) && bIds.has(id));
    if (!shared) return `different identifiers in ${system}`;
  }
  return undefined;
}

function names(a: Demographics, b: Demographics): Array<FieldScore | undefined> {
  const straight = [nameScore('family', a.family, b.family), nameScore('given', a.given, b.given)];
  if (a.family && a.given && b.family && b.given) {
    const swapped = [nameScore('family', a.family, b.given), nameScore('given', a.given, b.family)];
    const sum = (xs: Array<FieldScore | undefined>) => xs.reduce((s, f) => s + (f?.weight ?? 0), 0);
    if (sum(swapped) + W.swapPenalty > sum(straight) && sum(swapped) > 0) {
      return [...swapped.map((f) => f && { ...f, result: `${f.result} (given and family names swapped)` }),
        { field: 'names-swapped', result: 'given and family names appear swapped', weight: W.swapPenalty }];
    }
  }
  return straight;
}

function nameScore(field: 'family' | 'given', a: string | undefined, b: string | undefined): FieldScore | undefined {
  if (!a || !b) return undefined;
  const exact = field === 'family' ? W.familyExact : W.givenExact;
  if (a === b) return { field, result: 'same', weight: exact };
  const similarity = jaroWinkler(a, b);
  if (similarity >= (field === 'family' ? 0.92 : 0.9)) return { field, result: `similar (Jaro-Winkler ${similarity.toFixed(2)})`, weight: field === 'family' ? W.familyClose : W.givenClose };
  if (field === 'given' && (a.length === 1 || b.length === 1) && a[0] === b[0]) return { field, result: 'initial agrees', weight: W.givenInitial };
  return { field, result: 'different', weight: field === 'family' ? W.familyDiffer : W.givenDiffer };
}

function birthDate(a: string | undefined, b: string | undefined): FieldScore | undefined {
  if (!a || !b) return undefined;
  if (a === b) return { field: 'birthDate', result: 'same', weight: W.dobExact };
  const [ya, ma, da] = a.split('-');
  const [yb, mb, db] = b.split('-');
  if (ya === yb && ma === db && da === mb) return { field: 'birthDate', result: 'day and month transposed', weight: W.dobNear };
  const digits = (s: string) => s.replace(/-/g, '');
  const differing = [...digits(a)].filter((ch, i) => ch !== digits(b)[i]).length;
  if (differing === 1) return { field: 'birthDate', result: 'one digit different', weight: W.dobNear };
  if (ya === yb) return { field: 'birthDate', result: 'same year, different date', weight: W.dobSameYear };
  return { field: 'birthDate', result: 'different', weight: W.dobDiffer };
}

function sex(a: string | undefined, b: string | undefined): FieldScore | undefined {
  if (!a || !b) return undefined;
  return a === b ? { field: 'sex', result: 'same', weight: W.sexSame } : { field: 'sex', result: 'different', weight: W.sexDiffer };
}

function postcode(a: string | undefined, b: string | undefined): FieldScore | undefined {
  if (!a || !b) return undefined;
  if (a === b) return { field: 'postcode', result: 'same', weight: W.postcodeExact };
  if (outwardCode(a) === outwardCode(b)) return { field: 'postcode', result: 'same district', weight: W.postcodeDistrict };
  return { field: 'postcode', result: 'different (people move: no penalty)', weight: 0 };
}

/** One line per field for logs, CLI and the review list. */
export function explain(s: MatchScore): string {
  return `${s.outcome} ${s.score} (match ≥ ${s.thresholds.match}, review ≥ ${s.thresholds.possible}): ` +
    s.fields.map((f) => `${f.field} ${f.result} ${f.weight >= 0 ? '+' : ''}${f.weight}`).join('; ');
}
