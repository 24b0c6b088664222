import { describe, expect, it } from 'vitest';
import { formatHl7DateTime, parseHl7DateTime, versionNumber } from './datetime.js';

describe('HL7 v2 dates and times', () => {
  it('keeps the precision sent', () => {
    expect(parseHl7DateTime('2026')?.fhir).toBe('2026');
    expect(parseHl7DateTime('202611')?.fhir).toBe('2026-11');
    expect(parseHl7DateTime('20261122')?.fhir).toBe('2026-11-22');
  });

  it('keeps an explicit offset and computes the instant from it', () => {
    const t = parseHl7DateTime('198908181126+0215')!;
    expect(t.fhir).toBe('1989-08-18T11:26:00+02:15');
    expect(new Date(t.instant).toISOString()).toBe('1989-08-18T09:11:00.000Z');
  });

  it('reads a time without offset as UK time: GMT in winter, BST in summer', () => {
    expect(parseHl7DateTime('20261122103000')!.fhir).toBe('2026-11-22T10:30:00+00:00');
    expect(parseHl7DateTime('20260701103000')!.fhir).toBe('2026-07-01T10:30:00+01:00');
    expect(new Date(parseHl7DateTime('20260701103000')!.instant).toISOString()).toBe('2026-07-01T09:30:00.000Z');
  });

  it('drops fractional seconds', () => {
    expect(parseHl7DateTime('20210817151943.4+0200')!.fhir).toBe('2021-08-17T15:19:43+02:00');
  });

  it('accepts an ISO date with dashes, and nothing looser', () => {
    expect(parseHl7DateTime('1928-01-01')?.date).toBe('1928-01-01');
    expect(parseHl7DateTime('Aug 15, 1942')).toBeUndefined();
    expect(parseHl7DateTime('20261302')).toBeUndefined();
    expect(parseHl7DateTime('20260230')).toBeUndefined();
    expect(parseHl7DateTime('202611221060')).toBeUndefined();
  });

  it('orders versions by UTC instant as a 14-digit number', () => {
    expect(versionNumber(parseHl7DateTime('20261122103000+0100')!.instant)).toBe(20261122093000);
    expect(formatHl7DateTime('2026-11-30T12:00:00Z')).toBe('20261130120000+0000');
  });
});
