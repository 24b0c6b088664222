/**
 * Synthetic demographics that vary from person to person as real ones do. Identity
 * matching searches for candidates by birth date, surname sound and postcode: a workload
 * where everyone shares one name and birth date would turn every message into a flood of
 * near-matches that real traffic never causes. Deterministic in the seed, no real people.
 */
const FAMILY = ['Smith', 'Jones', 'Taylor', 'Brown', 'Williams', 'Wilson', 'Johnson', 'Davies', 'Patel', 'Robinson', 'Wright', 'Thompson',
  'Evans', 'Walker', 'White', 'Roberts', 'Green', 'Hall', 'Thomas', 'Clarke', 'Jackson', 'Wood', 'Harris', 'Edwards', 'Turner', 'Martin',
  'Cooper', 'Hill', 'Ward', 'Hughes', 'Moore', 'Clark', 'King', 'Harrison', 'Lewis', 'Baker', 'Lee', 'Allen', 'Morris', 'Khan'];
const GIVEN_F = ['Olivia', 'Amelia', 'Isla', 'Ava', 'Mia', 'Ivy', 'Lily', 'Isabella', 'Rosie', 'Sophia', 'Grace', 'Freya', 'Willow', 'Emily',
  'Ella', 'Poppy', 'Evie', 'Charlotte', 'Aria', 'Evelyn', 'Sienna', 'Daisy', 'Sofia', 'Harper', 'Ruby', 'Alice', 'Florence', 'Jessica'];
const GIVEN_M = ['Noah', 'Oliver', 'George', 'Arthur', 'Muhammad', 'Leo', 'Harry', 'Oscar', 'Archie', 'Henry', 'Theodore', 'Freddie', 'Jack',
  'Charlie', 'Theo', 'Alfie', 'Jacob', 'Thomas', 'Finley', 'Arlo', 'William', 'Lucas', 'Roman', 'Tommy', 'Isaac', 'Teddy', 'Edward'];

export interface Person {
  family: string;
  given: string;
  /** YYYY-MM-DD */
  birthDate: string;
  /** Within SO16, so routing by postcode prefix holds. */
  postcode: string;
}

/** An adult of `sex` born between `minAge` and `maxAge` years before 2026, from seed `n`. */
export function adult(n: number, sex: 'female' | 'male', minAge: number, maxAge: number): Person {
  const r = mix(n);
  const days = Math.floor((minAge + (r % 1000) / 1000 * (maxAge - minAge)) * 365.25);
  const names = sex === 'female' ? GIVEN_F : GIVEN_M;
  return {
    family: FAMILY[(r >>> 10) % FAMILY.length]!,
    given: names[(r >>> 16) % names.length]!,
    birthDate: new Date(Date.UTC(2026, 0, 1) - days * 86_400_000).toISOString().slice(0, 10),
    postcode: `SO16 ${(r >>> 4) % 10}${String.fromCharCode(65 + ((r >>> 8) % 26))}${String.fromCharCode(65 + ((r >>> 20) % 26))}`,
  };
}

export function givenName(n: number, sex: 'female' | 'male'): string {
  const names = sex === 'female' ? GIVEN_F : GIVEN_M;
  return names[mix(n) % names.length]!;
}

/** A 32-bit integer hash (xorshift-multiply), well spread for consecutive seeds. */
function mix(n: number): number {
  let x = (n + 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}
