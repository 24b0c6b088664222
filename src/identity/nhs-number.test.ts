import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, nhsCheckDigit, normaliseNhsNumber } from './nhs-number.js';

describe('NHS number Modulus 11', () => {
  it('accepts the Data Dictionary worked example and the contract numbers', () => {
    for (const n of ['9434765919', '9434765870', '9434765846', '943 476 5919', '943-476-5919']) {
      expect(isValidNhsNumber(n), n).toBe(true);
    }
  });

  it('rejects a wrong check digit, wrong length and letters', () => {
    for (const n of ['9434765918', '943476591', '94347659190', '94347659X9', '']) {
      expect(isValidNhsNumber(n), n).toBe(false);
    }
  });

  it('rejects numbers whose check result is 10 (never issued)', () => {
    // 123456789: sum = 10+18+24+28+30+30+28+24+18 = 210; 210 % 11 = 1; 11-1 = 10.
    expect(nhsCheckDigit('123456789')).toBeUndefined();
    for (let d = 0; d <= 9; d++) expect(isValidNhsNumber(`123456789${d}`)).toBe(false);
  });

  it('maps a check result of 11 to 0', () => {
    // Find nine digits whose sum is divisible by 11 and check the 0 digit is accepted.
    // 999000000: 90+81+72 = 243; 243 % 11 = 1; 11-1 = 10 → never issued.
    expect(nhsCheckDigit('999000000')).toBeUndefined();
    // 999000001: 243 + 1*2 = 245; 245 % 11 = 3; 11-3 = 8.
    expect(nhsCheckDigit('999000001')).toBe(8);
    const zeroCase = Array.from({ length: 1000 }, (_, i) => `999000${String(i).padStart(3, '0')}`).find(
      (n) => nhsCheckDigit(n) === 0,
    );
    expect(zeroCase).toBeDefined();
    expect(isValidNhsNumber(`${zeroCase}0`)).toBe(true);
  });

  it('treats the never-issued 999 test range like any other number', () => {
    const nine = Array.from({ length: 100 }, (_, i) => `9990000${String(i).padStart(2, '0')}`).find(
      (n) => nhsCheckDigit(n) !== undefined,
    )!;
    expect(isValidNhsNumber(`${nine}${nhsCheckDigit(nine)}`)).toBe(true);
  });

  it('normalises and formats 3-3-4', () => {
    expect(normaliseNhsNumber('943 476 5919')).toBe('9434765919');
    expect(normaliseNhsNumber('943 476 591')).toBeUndefined();
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });
});
