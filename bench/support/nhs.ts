import { nhsCheckDigit } from '../../src/identity/nhs-number.js';

/**
 * `count` valid NHS numbers from the never-issued 999 range, starting at the nine-digit
 * offset `from` (so separate uses can take disjoint ranges). One pass over the range:
 * about 1 in 11 candidates has no check digit and is skipped, so a million numbers fit.
 * tests/support/nhs.ts finds the n-th number from the start on every call, which is
 * quadratic for a workload of thousands.
 */
export function nhsNumbers(from: number, count: number): string[] {
  const out: string[] = [];
  for (let i = from; out.length < count; i++) {
    if (i > 999_999) throw new Error(`the 999 range holds no more NHS numbers after offset ${from}`);
    const nine = `999${String(i).padStart(6, '0')}`;
    const check = nhsCheckDigit(nine);
    if (check !== undefined) out.push(`${nine}${check}`);
  }
  return out;
}
