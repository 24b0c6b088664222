import { londonOffset } from './london-offset.js';

/**
 * HL7 v2 dates and times (DT, TS/DTM: HL7 v2.5 section 2.A.22/2.A.77):
 * `YYYY[MM[DD[HH[MM[SS[.S…]]]]]][+/-ZZZZ]`.
 */
export interface Hl7DateTime {
  /** FHIR `dateTime` at the precision sent: `2026`, `2026-11`, `2026-11-22`, or a full time with its offset. */
  fhir: string;
  /** The date part, FHIR `date` (possibly partial). */
  date: string;
  /** Epoch milliseconds (the start of the period when only a date was sent). */
  instant: number;
  hasTime: boolean;
}

/** ISO dates with dashes (`1928-01-01`) are not valid DT, but unambiguous: accepted (seen from iSOFT PAS). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses a DT/DTM value; undefined when it is not one (the caller reports where). A time
 * without an offset is the sender's local time (HL7 v2.5 section 2.A.22): Cradle's
 * senders are in England, so it is read as Europe/London time, GMT or BST as the date
 * says.
 */
export function parseHl7DateTime(raw: string): Hl7DateTime | undefined {
  // 10 characters with a dash at 5 can only be an ISO date (a DTM's dash starts its 5-character offset).
  if (raw.length === 10 && raw.charCodeAt(4) === MINUS) return isoDate(raw);
  const n = dtmDigits(raw);
  if (n < 0) return undefined;
  const year = digits(raw, 0, 4);
  const month = n >= 6 ? digits(raw, 4, 6) : 1;
  const day = n >= 8 ? digits(raw, 6, 8) : 1;
  if (!isDay(year, month, day)) return undefined;
  const date = n >= 8 ? `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}` : n === 6 ? `${raw.slice(0, 4)}-${raw.slice(4, 6)}` : raw.slice(0, 4);
  if (n < 10) return { fhir: date, date, instant: Date.UTC(year, month - 1, day), hasTime: false };
  const hour = digits(raw, 8, 10);
  const minute = n >= 12 ? digits(raw, 10, 12) : 0;
  const second = n >= 14 ? digits(raw, 12, 14) : 0;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  // A valid DTM's offset, when sent, is its last 5 characters (the fraction has no sign).
  const zoneAt = raw.length - 5;
  const zoned = zoneAt >= n && (raw.charCodeAt(zoneAt) === PLUS || raw.charCodeAt(zoneAt) === MINUS);
  const offset = zoned ? zoneMinutes(raw, zoneAt) : londonOffsetAt(wall);
  if (offset === undefined) return undefined;
  const time = `${raw.slice(8, 10)}:${n >= 12 ? raw.slice(10, 12) : '00'}:${n >= 14 ? raw.slice(12, 14) : '00'}`;
  return { fhir: `${date}T${time}${formatOffset(offset)}`, date, instant: wall - offset * 60_000, hasTime: true };
}

function isoDate(raw: string): Hl7DateTime | undefined {
  const m = ISO_DATE.exec(raw);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (!isDay(year, month, day)) return undefined;
  return { fhir: raw, date: raw, instant: Date.UTC(year, month - 1, day), hasTime: false };
}

const PLUS = 0x2b;
const MINUS = 0x2d;
const DOT = 0x2e;

/**
 * How many leading digits `raw` has when it is a DTM — `YYYY[MM[DD[HH[MM[SS]]]]][.S[S[S[S]]]][+/-ZZZZ]`,
 * so 4, 6, … 14 — else -1. A scan rather than a regex match: no match array and no
 * strings for each of the several times a message has. datetime.test.ts holds the regex
 * it replaced and checks the two agree.
 */
function dtmDigits(raw: string): number {
  const length = raw.length;
  let n = 0;
  while (n < length && isDigit(raw.charCodeAt(n))) n++;
  if (n < 4 || n > 14 || n % 2 !== 0) return -1;
  let at = n;
  if (at < length && raw.charCodeAt(at) === DOT) {
    let end = at + 1;
    while (end < length && isDigit(raw.charCodeAt(end))) end++;
    if (end === at + 1 || end > at + 5) return -1;
    at = end;
  }
  if (at === length) return n;
  const sign = raw.charCodeAt(at);
  if ((sign !== PLUS && sign !== MINUS) || length !== at + 5) return -1;
  for (let k = at + 1; k < length; k++) if (!isDigit(raw.charCodeAt(k))) return -1;
  return n;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The number written by the ASCII digits `raw[from, to)` (already checked to be digits). */
function digits(raw: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n = n * 10 + raw.charCodeAt(i) - 0x30;
  return n;
}

/** Every month has 28 days: only a later day needs the calendar. */
function isDay(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && (day <= 28 || day <= daysIn(year, month));
}

/** An instant as the 14-digit number `YYYYMMDDHHMMSS` (UTC) Cradle orders HL7 record versions by. */
export function versionNumber(instant: number): number {
  const t = new Date(instant);
  const year = t.getUTCFullYear();
  const parts = [year, t.getUTCMonth() + 1, t.getUTCDate(), t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds()];
  // The digits written one after another are this sum (exact: under 2^53); a negative or
  // invalid year is left to the text, whose '-' or NaN the sum would not reproduce.
  if (year >= 0) return year * 1e10 + parts[1]! * 1e8 + parts[2]! * 1e6 + parts[3]! * 1e4 + parts[4]! * 100 + parts[5]!;
  return Number(parts.map((p, i) => (i === 0 ? String(p) : pad(p))).join(''));
}

/** An instant as an HL7 DTM in UTC, `YYYYMMDDHHMMSS+0000` (for ACK headers). */
export function formatHl7DateTime(iso: string): string {
  return `${versionNumber(Date.parse(iso))}+0000`;
}

/** The `+/-ZZZZ` at `at` in minutes (its digits already checked); undefined beyond ±14:59. */
function zoneMinutes(raw: string, at: number): number | undefined {
  const sign = raw.charCodeAt(at) === MINUS ? -1 : 1;
  const hours = digits(raw, at + 1, at + 3);
  const minutes = digits(raw, at + 3, at + 5);
  if (hours > 14 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

/** UTC offset of Europe/London (minutes) for a wall-clock time there, given as if it were UTC. */
function londonOffsetAt(wall: number): number {
  const first = londonOffset(wall);
  return londonOffset(wall - first * 60_000);
}

const offsetTexts = new Map<number, string>();

/** `+01:00` for 60. Remembered: a message's times share one or two offsets, and there are under 1,800 possible. */
function formatOffset(minutes: number): string {
  let text = offsetTexts.get(minutes);
  if (text === undefined) {
    const sign = minutes < 0 ? '-' : '+';
    const abs = Math.abs(minutes);
    text = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
    offsetTexts.set(minutes, text);
  }
  return text;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const pad = (n: number) => String(n).padStart(2, '0');
