import { nhsCheckDigit } from '../../src/identity/nhs-number.js';

/** The n-th valid NHS number in the never-issued 999 range (safe test data). */
export function testNhsNumber(n: number): string {
  let found = -1;
  for (let i = 0; ; i++) {
    const nine = `999${String(i).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check === undefined) continue;
    if (++found === n) return `${nine}${check}`;
  }
}
