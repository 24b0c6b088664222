/**
 * Hand-written equivalents of the R4 JSON schema's most used `pattern`s, each answering
 * exactly what `new RegExp(pattern, 'u').test(s)` answers (the RegExp ajv builds), only
 * without a RegExp call per value: the fast path tests one of these on nearly every string
 * a resource holds. pattern-checks.test.ts compares each with its RegExp on every UTF-16
 * code unit and on hundreds of thousands of generated strings.
 *
 * Why code units are enough although the `u` flag matches code points (ECMA-262 22.2.2):
 * - every character `\s` matches (ECMA-262 22.2.2.9: WhiteSpace and LineTerminator — TAB,
 *   VT, FF, SP, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000,
 *   U+FEFF) is one BMP code unit outside the surrogate range, so a surrogate pair or a lone
 *   surrogate is a non-whitespace code point, and each of its code units is non-whitespace;
 * - the other patterns admit only ASCII, so any other code unit fails them either way.
 * `$` without the `m` flag matches only at the end of the input (no trailing-newline rule).
 */
export type StringCheck = (s: string) => boolean;

/** `\s`: ECMAScript WhiteSpace ∪ LineTerminator, as one UTF-16 code unit. */
export function isRegExpSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029
    || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** `^[ \r\n\t\S]+$` (R4 `string`, `markdown`): not empty; no whitespace but space, CR, LF and TAB. */
function fhirString(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    // Below U+00A0 the only whitespace the class leaves out are VT and FF.
    if (c < 0xa0 ? c === 0x0b || c === 0x0c : isRegExpSpace(c)) return false;
  }
  return true;
}

/** `^\S*$` (R4 `uri`, `url`, `canonical`): no whitespace at all; may be empty. */
function noSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isRegExpSpace(s.charCodeAt(i))) return false;
  return true;
}

/**
 * `^[^\s]+(\s[^\s]+)*$` (R4 `code`): runs of non-whitespace joined by single whitespace
 * characters, i.e. not empty, no whitespace first or last, and no two whitespace in a row.
 */
function code(s: string): boolean {
  const n = s.length;
  if (n === 0 || isRegExpSpace(s.charCodeAt(0)) || isRegExpSpace(s.charCodeAt(n - 1))) return false;
  let previousSpace = false;
  for (let i = 1; i < n - 1; i++) {
    const space = isRegExpSpace(s.charCodeAt(i));
    if (space && previousSpace) return false;
    previousSpace = space;
  }
  return true;
}

/** `^[A-Za-z0-9\-\.]{1,64}$` (R4 `id`): 1 to 64 ASCII letters, digits, `-` and `.`. */
function id(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 64) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
    if (!ok) return false;
  }
  return true;
}

// The date and time patterns, read left to right. Each helper takes the position to read
// from and returns the position after what it read, or -1. Every optional group starts
// with its own character (`-`, `T`, `.`, `Z`/`+`/`-`) or is followed by one that cannot
// start it, so reading greedily without backtracking accepts exactly the RegExp's language.

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i); // NaN past the end (or at -1): not a digit
  return c >= 0x30 && c <= 0x39 ? c - 0x30 : -1;
}

/** The two-digit number at i, or -1. */
function twoDigits(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** Two digits at i forming a number in [min, max]: the position after them, or -1. */
function inRange(s: string, i: number, min: number, max: number): number {
  if (i < 0) return -1;
  const value = twoDigits(s, i);
  return value >= min && value <= max ? i + 2 : -1;
}

/** The character c at i: the position after it, or -1. */
function char(s: string, i: number, c: number): number {
  return i >= 0 && s.charCodeAt(i) === c ? i + 1 : -1;
}

/** `([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)`: four digits other than 0000. */
function year(s: string): boolean {
  const a = digit(s, 0), b = digit(s, 1), c = digit(s, 2), d = digit(s, 3);
  return a >= 0 && b >= 0 && c >= 0 && d >= 0 && a + b + c + d > 0;
}

/** `-(0[1-9]|1[0-2])`, `-(0[1-9]|[1-2][0-9]|3[0-1])` */
const month = (s: string, i: number) => inRange(s, char(s, i, 0x2d), 1, 12);
const day = (s: string, i: number) => inRange(s, char(s, i, 0x2d), 1, 31);

/** `([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?` */
function clock(s: string, i: number): number {
  const minutes = inRange(s, char(s, inRange(s, i, 0, 23), 0x3a), 0, 59);
  const seconds = inRange(s, char(s, minutes, 0x3a), 0, 60);
  if (seconds < 0 || s.charCodeAt(seconds) !== 0x2e) return seconds;
  if (digit(s, seconds + 1) < 0) return -1;
  let end = seconds + 2;
  while (digit(s, end) >= 0) end++;
  return end;
}

/** `(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))` */
function zone(s: string, i: number): number {
  if (i < 0) return -1;
  const c = s.charCodeAt(i);
  if (c === 0x5a) return i + 1;
  if (c !== 0x2b && c !== 0x2d) return -1;
  const hours = twoDigits(s, i + 1);
  const minutes = twoDigits(s, i + 4);
  if (hours < 0 || minutes < 0 || s.charCodeAt(i + 3) !== 0x3a) return -1;
  return (hours <= 13 && minutes <= 59) || (hours === 14 && minutes === 0) ? i + 6 : -1;
}

/** R4 `date`: `^YYYY(-MM(-DD)?)?$` */
function date(s: string): boolean {
  const n = s.length;
  if (!year(s)) return false;
  if (n === 4) return true;
  const m = month(s, 4);
  return m === n || day(s, m) === n;
}

/** R4 `instant`: `YYYY-MM-DDThh:mm:ss(.f+)?` and a zone, all required. */
function instant(s: string): boolean {
  return year(s) && zone(s, clock(s, char(s, day(s, month(s, 4)), 0x54))) === s.length;
}

/**
 * R4 `dateTime`: a date, or a full date with `T`, a time and a zone — which is an
 * instant. A date has at most 10 characters, a date with a time at least 20.
 */
function dateTime(s: string): boolean {
  return s.length <= 10 ? date(s) : instant(s);
}

/** R4 `time`: `^hh:mm:ss(.f+)?$` */
function time(s: string): boolean {
  return clock(s, 0) === s.length;
}

const YEAR = '([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)';
const CLOCK = '([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?';
const ZONE = '(Z|(\\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))';

/**
 * A charCodeAt loop costs V8 about twice what its compiled RegExp does per character (the
 * RegExp scans the string's bytes directly), but a RegExp call has a fixed cost that a loop
 * over a short string does not: measured on mapped resources, the loop wins up to about
 * 16 characters. Both answer the same, so which one runs is only a matter of speed.
 */
function loopWhenShort(loop: StringCheck, pattern: string): [string, StringCheck] {
  const re = new RegExp(pattern, 'u');
  return [pattern, (s) => (s.length <= 16 ? loop(s) : re.test(s))];
}

/** The R4 schema's patterns (as written in fhir.schema.json) with a hand-written check. */
export const HAND_WRITTEN: ReadonlyMap<string, StringCheck> = new Map<string, StringCheck>([
  loopWhenShort(fhirString, '^[ \\r\\n\\t\\S]+$'),
  loopWhenShort(noSpace, '^\\S*$'),
  loopWhenShort(code, '^[^\\s]+(\\s[^\\s]+)*$'),
  ['^[A-Za-z0-9\\-\\.]{1,64}$', id],
  [`^${YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$`, date],
  [`^${YEAR}(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T${CLOCK}${ZONE})?)?)?$`, dateTime],
  [`^${YEAR}-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T${CLOCK}${ZONE}$`, instant],
  [`^${CLOCK}$`, time],
]);
