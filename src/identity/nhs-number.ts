/**
 * NHS number validation (NHS Data Dictionary, "NHS NUMBER"): ten digits, the tenth a
 * Modulus 11 check digit over the first nine weighted 10..2. A check result of 10 means
 * the number was never issued. The 999 range passes the check like any other and is
 * never issued, which makes it safe for tests.
 */
export function isValidNhsNumber(input: string): boolean {
  const digits = normaliseNhsNumber(input);
  if (digits === undefined) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** Strips spaces and hyphens (3-3-4 display format); undefined unless ten digits remain. */
export function normaliseNhsNumber(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : undefined;
}

/** Display form, 3-3-4: "943 476 5919". */
export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}

/** The check digit for nine digits, or undefined when none exists (result 10). For test data. */
export function nhsCheckDigit(nine: string): number | undefined {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return undefined;
  return check === 11 ? 0 : check;
}
