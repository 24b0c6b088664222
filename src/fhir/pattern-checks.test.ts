import { describe, expect, it } from 'vitest';
import { HAND_WRITTEN, isRegExpSpace } from './pattern-checks.js';
import { preparedR4Schema } from './r4-schema.js';

/** A small deterministic random source. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
}

/** Every whitespace `\s` matches, and characters either side of the rules (VT/FF, NEL, U+180E, ZWSP…). */
const SPACES = ['\t', '\n', '\v', '\f', '\r', ' ', '\u00a0', '\u1680', '\u2000', '\u2005', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
const NEAR = ['\u0000', '\u0008', '\u000e', '\u001f', '\u0085', '\u180e', '\u200b', '\u2027', '\u202a', '\u2060', '\ufffe'];
const SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff', '\ud83d\ude00', '\ud800\ud800', '\udc00\ud800'];
const ASCII = ['a', 'Z', '0', '1', '2', '3', '5', '9', '-', '.', ':', '+', 'T', 'Z', 'z', '/', 'é'];

function checkOf(pattern: string) {
  const check = HAND_WRITTEN.get(pattern);
  if (!check) throw new Error(`no hand-written check for ${pattern}`);
  return check;
}

/** Asserts the hand-written check and ajv's RegExp agree on every string given. */
function expectSame(pattern: string, strings: Iterable<string>): number {
  const check = checkOf(pattern);
  const re = new RegExp(pattern, 'u');
  let n = 0;
  for (const s of strings) {
    if (check(s) !== re.test(s)) expect.fail(`${JSON.stringify(s)}: hand-written ${check(s)}, RegExp ${re.test(s)} for ${pattern}`);
    n++;
  }
  return n;
}

/** Each UTF-16 code unit alone, first, last, between letters, and doubled. */
function* everyCodeUnit(): Generator<string> {
  for (let c = 0; c <= 0xffff; c++) {
    const ch = String.fromCharCode(c);
    yield ch; yield `a${ch}`; yield `${ch}a`; yield `a${ch}b`; yield `a${ch}${ch}b`; yield `a ${ch}b`;
  }
}

/** Random strings from an alphabet of whitespace, near-whitespace, surrogates and ASCII. */
function* randomStrings(count: number, seed: number, alphabet: string[], maxLength: number): Generator<string> {
  const next = random(seed);
  for (let i = 0; i < count; i++) {
    let s = '';
    const length = Math.floor(next() * (maxLength + 1));
    for (let j = 0; j < length; j++) s += alphabet[Math.floor(next() * alphabet.length)];
    yield s;
  }
}

const DATE_TIMES = ['2024', '2024-02', '2024-02-29', '2024-02-29T13:05:09Z', '2024-02-29T23:59:60.123+14:00',
  '0001-01-01T00:00:00-13:59', '1000-12-31T10:00:00.5+00:00', '0010', '0100', '1970-01-01T00:00:00.000000001Z', '10:20:30', '23:59:60.9'];

/** Every one-character substitution, insertion and deletion of valid dates and times, and every prefix. */
function* editsOfDates(): Generator<string> {
  const alphabet = ['0', '1', '2', '3', '4', '5', '6', '9', '-', '+', ':', '.', 'T', 'Z', 't', ' ', '\u00a0', '\ud800', '０'];
  for (const valid of DATE_TIMES) {
    for (let i = 0; i <= valid.length; i++) {
      yield valid.slice(0, i);
      yield valid.slice(0, i) + valid.slice(i + 1);
      for (const c of alphabet) {
        yield valid.slice(0, i) + c + valid.slice(i + 1);
        yield valid.slice(0, i) + c + valid.slice(i);
      }
    }
  }
}

/** Every two-digit value in every two-digit field of a full date-time and a time. */
function* everyField(): Generator<string> {
  const full = '2024-02-29T13:05:09+10:30';
  for (const template of [full, '10:20:30']) {
    for (let i = 0; i + 1 < template.length; i++) {
      for (let v = 0; v < 100; v++) yield template.slice(0, i) + String(v).padStart(2, '0') + template.slice(i + 2);
    }
  }
  for (let y = 0; y < 10_000; y++) yield `${String(y).padStart(4, '0')}-01-01`;
}

describe('hand-written pattern checks answer as ajv\'s RegExp (u flag) does', () => {
  it('classifies every UTF-16 code unit as \\s does', () => {
    for (let c = 0; c <= 0xffff; c++) expect(isRegExpSpace(c), c.toString(16)).toBe(/^\s$/u.test(String.fromCharCode(c)));
  });

  it('checks patterns the R4 schema uses, as written there', () => {
    const used = new Set<string>();
    (function walk(x: unknown): void {
      if (!x || typeof x !== 'object') return;
      for (const [k, v] of Object.entries(x)) k === 'pattern' && typeof v === 'string' ? used.add(v) : walk(v);
    })(preparedR4Schema());
    for (const pattern of HAND_WRITTEN.keys()) expect(used, pattern).toContain(pattern);
  });

  it.each([...HAND_WRITTEN.keys()])('%s: every code unit in context, and random strings', (pattern) => {
    expect(expectSame(pattern, everyCodeUnit())).toBe(6 * 65_536);
    const alphabet = [...SPACES, ...NEAR, ...SURROGATES, ...ASCII];
    expect(expectSame(pattern, randomStrings(100_000, pattern.length, alphabet, 8))).toBe(100_000);
    // Long enough for the RegExp side of loopWhenShort, and both sides of its threshold.
    expect(expectSame(pattern, randomStrings(20_000, pattern.length + 1, alphabet, 40))).toBe(20_000);
    expect(expectSame(pattern, randomStrings(20_000, pattern.length + 2, ['a', 'b', ' ', '\v'], 20))).toBe(20_000);
    expect(expectSame(pattern, ['', 'x'.repeat(64), 'x'.repeat(65), '\ud83d\ude00'.repeat(40), 'a b\tc\r\nd', ...SPACES.map((s) => `a${s}b`)]))
      .toBe(4 + SPACES.length + 1);
  });

  it.each([...HAND_WRITTEN.keys()])('%s: edits of valid dates and times, and every field value', (pattern) => {
    expect(expectSame(pattern, editsOfDates())).toBeGreaterThan(5_000);
    expect(expectSame(pattern, everyField())).toBeGreaterThan(10_000);
  });

  it('accepts and refuses what FHIR means, as a sanity check on the comparisons above', () => {
    const dateTime = [...HAND_WRITTEN].find(([p]) => p.includes('T('))?.[1];
    expect(dateTime?.('2024-02-29T13:05:09Z')).toBe(true);
    expect(dateTime?.('2024-02-29T13:05:09')).toBe(false);
    expect(checkOf('^[ \\r\\n\\t\\S]+$')('Ann\u00a0Smith')).toBe(false);
    expect(checkOf('^[ \\r\\n\\t\\S]+$')('Ann Smith\n')).toBe(true);
    expect(checkOf('^[^\\s]+(\\s[^\\s]+)*$')('entered-in-error')).toBe(true);
    expect(checkOf('^[^\\s]+(\\s[^\\s]+)*$')('a  b')).toBe(false);
  });
});
