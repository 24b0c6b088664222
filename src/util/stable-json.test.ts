import { describe, expect, it } from 'vitest';
import { stableHash, stableStringify } from './stable-json.js';

/** The definition stableStringify must keep: sorted keys, undefined left out, as JSON.stringify otherwise. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : reference(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

function random(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
}

const KEYS = ['a', 'B', 'b', 'Z', '_z', 'é', 'ä', '\u{1F600}', 'resourceType', 'id', '10', '2', '', 'a"b', 'line\nbreak'];
const LEAVES: unknown[] = [null, undefined, true, false, 0, -0, 1.5, -7, Number.NaN, Number.POSITIVE_INFINITY, '', 'x', 'quote"', '\u2028', '\uD800'];

function randomValue(next: () => number, depth: number): unknown {
  const roll = next();
  if (depth > 3 || roll < 0.4) return LEAVES[Math.floor(next() * LEAVES.length)];
  if (roll < 0.65) return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 6); i > 0; i--) out[KEYS[Math.floor(next() * KEYS.length)]!] = randomValue(next, depth + 1);
  return out;
}

describe('stableStringify', () => {
  it('writes sorted keys at every depth, whatever order they were set in', () => {
    expect(stableStringify({ b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}');
    expect(stableHash({ x: 1, y: 2 })).toBe(stableHash({ y: 2, x: 1 }));
    expect(stableHash({ x: 1 })).not.toBe(stableHash({ x: 2 }));
  });

  it('sorts a large object as a small one', () => {
    const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${(i * 37) % 100}`, i]));
    expect(stableStringify(big)).toBe(reference(big));
  });

  it('leaves out undefined properties and writes undefined items as null, as JSON.stringify does', () => {
    expect(stableStringify({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
    expect(stableStringify({ a: undefined })).toBe('{}');
  });

  it('gives the same text as the definition on 5,000 random values (odd keys, numbers, unicode)', () => {
    const next = random(7);
    for (let i = 0; i < 5_000; i++) {
      const value = randomValue(next, 0);
      expect(stableStringify(value)).toBe(reference(value));
    }
  });
});
