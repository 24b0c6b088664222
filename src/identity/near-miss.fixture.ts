import type { Demographics } from './demographics.js';

/**
 * Generated near-miss pairs for measuring the matcher: the same person recorded with the
 * errors real records carry (typos, swapped given and family names, a new postcode, a
 * transposed birth date) and different people who look alike (twins, namesakes, a father
 * and son). Seeded, so every run measures the same pairs.
 */
export interface LabelledPair { a: Demographics; b: Demographics; same: boolean; kind: string }

const FAMILIES = ['SMITH', 'JONES', 'WILLIAMS', 'TAYLOR', 'BROWN', 'DAVIES', 'EVANS', 'WILSON', 'THOMAS', 'JOHNSON', 'ROBERTS', 'WALKER', 'WRIGHT', 'THOMPSON', 'WHITE', 'HUGHES', 'EDWARDS', 'GREEN', 'HALL', 'WOOD', 'OKONKWO', 'KHAN', 'PATEL', 'NOWAK', 'MURPHY'];
const GIVEN_M = ['MARK', 'JAMES', 'DANIEL', 'RYAN', 'LIAM', 'CONNOR', 'ADAM', 'AHMED', 'TOMASZ', 'CALLUM', 'JORDAN', 'KIERAN'];
const GIVEN_F = ['JANE', 'AMY', 'CHLOE', 'EMMA', 'SOPHIE', 'LAUREN', 'AISHA', 'ZOE', 'HANNAH', 'MEGAN', 'OLIVIA', 'PRIYA'];
const POSTCODES = ['SO166YD', 'SO155AB', 'SO174QT', 'BH11AA', 'PO12EF', 'SP13JL', 'BA12AB', 'SN11DD', 'RG11AA', 'GU11XX'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function nearMissPairs(seed = 20261122, perKind = 12): LabelledPair[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const person = (): Demographics => {
    const sex = r() < 0.5 ? 'male' : 'female';
    const year = 1975 + Math.floor(r() * 30);
    const month = 1 + Math.floor(r() * 12);
    const day = 1 + Math.floor(r() * 28);
    return {
      family: pick(FAMILIES), given: pick(sex === 'male' ? GIVEN_M : GIVEN_F), sex,
      birthDate: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      postcode: pick(POSTCODES), identifierSystems: [], identifiers: [],
    };
  };
  const typo = (s: string) => {
    const i = 1 + Math.floor(r() * (s.length - 2));
    const kind = Math.floor(r() * 3);
    if (kind === 0) return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2); // adjacent swap
    if (kind === 1) return s.slice(0, i) + s.slice(i + 1); // dropped letter
    return s.slice(0, i) + s[i] + s.slice(i); // doubled letter
  };
  const otherDate = (d: string, sameYear: boolean) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const nm = ((m + 4) % 12) + 1;
    return `${sameYear ? y : y + 1 + Math.floor(r() * 20)}-${String(nm).padStart(2, '0')}-${String(((day + 9) % 28) + 1).padStart(2, '0')}`;
  };
  const kinds: Array<[string, boolean, (p: Demographics) => Demographics]> = [
    ['exact copy from another source', true, (p) => ({ ...p })],
    ['typo in family name', true, (p) => ({ ...p, family: typo(p.family!) })],
    ['typo in given name', true, (p) => ({ ...p, given: typo(p.given!) })],
    ['given and family swapped', true, (p) => ({ ...p, family: p.given!, given: p.family! })],
    ['moved house (postcode changed)', true, (p) => ({ ...p, postcode: pick(POSTCODES.filter((x) => x !== p.postcode)) })],
    ['birth date day and month transposed', true, (p) => {
      const [y, m, d] = p.birthDate!.split('-');
      return { ...p, birthDate: Number(d) <= 12 && d !== m ? `${y}-${d}-${m}` : `${y}-${m}-${String((Number(d) % 28) + 1).padStart(2, '0')}` };
    }],
    ['sex not recorded', true, (p) => ({ ...p, sex: undefined } as Demographics)],
    ['typo in family name and moved house', true, (p) => ({ ...p, family: typo(p.family!), postcode: pick(POSTCODES.filter((x) => x !== p.postcode)) })],
    ['twin: same family, birth date and postcode, different first name', false, (p) => ({ ...p, given: pick((p.sex === 'male' ? GIVEN_M : GIVEN_F).filter((g) => g !== p.given)) })],
    ['namesake born the same year', false, (p) => ({ ...p, birthDate: otherDate(p.birthDate!, true), postcode: pick(POSTCODES) })],
    ['namesake born the same year, same postcode', false, (p) => ({ ...p, birthDate: otherDate(p.birthDate!, true) })],
    ['father and son with the same name at the same address', false, (p) => ({ ...p, birthDate: otherDate(p.birthDate!, false) })],
    ['neighbour with the same birth date', false, (p) => ({ ...p, family: pick(FAMILIES.filter((f) => f !== p.family)), given: pick(GIVEN_M.concat(GIVEN_F).filter((g) => g !== p.given)) })],
    ['different NHS numbers, otherwise identical', false, (p) => ({ ...p, nhsNumber: '9990000018' })],
  ];
  const pairs: LabelledPair[] = [];
  for (const [kind, same, perturb] of kinds) {
    for (let i = 0; i < perKind; i++) {
      const a = kind.startsWith('different NHS') ? { ...person(), nhsNumber: '9990000026' } : person();
      pairs.push({ a, b: perturb(a), same, kind });
    }
  }
  return pairs;
}
