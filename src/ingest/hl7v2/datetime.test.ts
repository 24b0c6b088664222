import { describe, expect, it } from 'vitest';
import { formatHl7DateTime, parseHl7DateTime, versionNumber, type Hl7DateTime } from './datetime.js';
import { intlLondonOffset } from './london-offset.js';

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

/**
 * The parser as it was before the offset cache and the hand-written DTM scan (a regex
 * and two Intl calls per time): the reference they must agree with, value for value.
 */
function reference(raw: string): Hl7DateTime | undefined {
  const DTM = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const m = iso ? [raw, iso[1], iso[2], iso[3]] : DTM.exec(raw);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, , zone] = m as Array<string | undefined>;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const date = [y, mo, d].filter((p) => p !== undefined).join('-');
  if (h === undefined) return { fhir: date, date, instant: Date.UTC(year, month - 1, day), hasTime: false };
  if (d === undefined) return undefined;
  const [hour, minute, second] = [Number(h), Number(mi ?? 0), Number(s ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  const zoneMinutes = (z: string) => (Number(z.slice(1, 3)) > 14 || Number(z.slice(3, 5)) > 59 ? undefined : (z.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))));
  const offset = zone ? zoneMinutes(zone) : intlLondonOffset(wall - intlLondonOffset(wall) * 60_000);
  if (offset === undefined) return undefined;
  const pad = (n: number) => String(n).padStart(2, '0');
  const fhir = `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}${offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return { fhir, date, instant: wall - offset * 60_000, hasTime: true };
}

/** The values among `raws` that the parser reads differently from the reference. */
function differences(raws: Iterable<string>): string[] {
  const out: string[] = [];
  for (const raw of raws) {
    const ours = JSON.stringify(parseHl7DateTime(raw));
    const theirs = JSON.stringify(reference(raw));
    if (ours !== theirs) out.push(`${JSON.stringify(raw)}: ${ours} (reference ${theirs})`);
  }
  return out;
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** `YYYYMMDDHH` plus `tail`, for every hour of UTC wall-clock time in [from, to). */
function* localHours(from: number, to: number, tail: string): Generator<string> {
  for (let t = from; t < to; t += 3_600_000) {
    const d = new Date(t);
    yield `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${tail}`;
  }
}

describe('HL7 v2 date/time parsing agrees with the regex-and-Intl reference', () => {
  it('at every local hour from 2020 to 2030, with and without minutes, seconds, fractions and offsets', () => {
    for (const tail of ['30', '5959.1234', '00+0100', '15-0130']) {
      expect(differences(localHours(Date.UTC(2020, 0, 1), Date.UTC(2031, 0, 1), tail))).toEqual([]);
    }
  });

  it('at every minute of each clock-change day from 2020 to 2030, including the local times that do not exist or happen twice', () => {
    for (let year = 2020; year <= 2030; year++) {
      for (const month of [3, 10]) {
        // The last Sunday of the month.
        const last = new Date(Date.UTC(year, month, 0));
        const day = last.getUTCDate() - last.getUTCDay();
        const minutes: string[] = [];
        for (let m = 0; m < 24 * 60; m++) minutes.push(`${year}${p2(month)}${p2(day)}${p2(Math.floor(m / 60))}${p2(m % 60)}`);
        expect(differences(minutes)).toEqual([]);
      }
    }
  });

  it('reads a local time that does not exist (clocks forward) or happens twice (clocks back) as GMT, as it always has', () => {
    expect(parseHl7DateTime('202603290130')!.fhir).toBe('2026-03-29T01:30:00+00:00');
    expect(parseHl7DateTime('202603290200')!.fhir).toBe('2026-03-29T02:00:00+01:00');
    expect(parseHl7DateTime('202610250030')!.fhir).toBe('2026-10-25T00:30:00+01:00');
    expect(parseHl7DateTime('202610250130')!.fhir).toBe('2026-10-25T01:30:00+00:00');
  });

  it('on odd values and on random strings of DTM characters', () => {
    const odd = ['', '2026', '202611', '2026112', '20261122', '1928-01-01', '1928-1-01', '1928-01-0a', '2026-1-011', '20261302', '20260230', '20240229',
      '20230229', '00000229', '00040229', '19000229', '20000229', '202611221060', '2026112224', '20261122235960', '20261122103000+2400',
      '20261122103000+1459', '20261122103000+1500', '20261122103000-0060', '20261122103000-0000', '20261122103000.', '20261122103000.12345',
      '2026112210300', '202611221030001', '2026+0100', '2026.5', '20261122+9999', '2026112210+01', '20261122103000+01000', '٢٠٢٦١١٢٢',
      ' 20261122', '20261122 ', '20261122\n', 'Aug 15, 1942', '00000101', '00991231235959', '01000101', '99991231235959-1400',
      '18471201000000', '18000101120000', '19700101000000', '1e309', 'NaN', '2026-11-22T10:00', '202611-22'];
    expect(differences(odd)).toEqual([]);
    let seed = 20_261_122;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const alphabet = '0123456789012345678901234567890123456789.+-- ';
    const random: string[] = [];
    for (let i = 0; i < 50_000; i++) {
      const length = Math.floor(next() * 22);
      let s = '';
      for (let k = 0; k < length; k++) s += alphabet[Math.floor(next() * alphabet.length)];
      // Most random strings fail at once; also try them after a plausible date and time.
      random.push(s, `2026${p2(1 + Math.floor(next() * 12))}${s}`, `20261025${s}`);
    }
    expect(differences(random)).toEqual([]);
  });
});
