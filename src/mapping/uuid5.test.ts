import { v5 } from 'uuid';
import { describe, expect, it } from 'vitest';
import { CRADLE_ID_NAMESPACE } from './ids.js';
import { uuidV5 } from './uuid5.js';

describe('uuidV5', () => {
  const ours = uuidV5(CRADLE_ID_NAMESPACE);
  const theirs = (name: string) => v5(name, CRADLE_ID_NAMESPACE);

  it('gives the same ids as the uuid package, at every length across the SHA-1 block boundaries', () => {
    for (let n = 0; n < 300; n++) {
      const name = 'maternity|RHM|RHM-PREG-000123|contact|C2|'.repeat(8).slice(0, n);
      expect(ours(name), `length ${n}`).toBe(theirs(name));
    }
  });

  it('encodes non-ASCII names as UTF-8, and throws as uuid does on a lone surrogate', () => {
    for (const name of ['é', 'Siobhán|Ó Súilleabháin', '✓ 漢字', '😀|baby:B1', `${'x'.repeat(60)}ü`, 'a|b\\|c']) {
      expect(ours(name), name).toBe(theirs(name));
    }
    expect(() => theirs('bad \ud800 name')).toThrow(URIError);
    expect(() => ours('bad \ud800 name')).toThrow(URIError);
    expect(() => ours('bad \udc00 name')).toThrow(URIError);
  });

  it('works for any namespace and refuses one that is not a UUID', () => {
    const dns = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';
    expect(uuidV5(dns)('www.example.com')).toBe(v5('www.example.com', dns));
    expect(() => uuidV5('not-a-uuid')).toThrow(TypeError);
  });
});
