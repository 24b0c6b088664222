import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodeSystem } from '../fhir/types.js';
import { packageRoot, readPackageJson } from '../util/package-root.js';
import { cradleCoding } from './code-systems.js';
import { concept } from './coding.js';
import { terminology, translated } from './terminology.js';

const codeSystems = readdirSync(join(packageRoot, 'profiles'))
  .filter((f) => f.startsWith('CodeSystem-'))
  .map((f) => readPackageJson<CodeSystem>(`profiles/${f}`));

describe('translated (remembers each code\'s translations)', () => {
  it('gives, for every published Cradle code, what translating afresh gives, on every call', () => {
    for (const cs of codeSystems) {
      for (const { code } of cs.concept ?? []) {
        const own = cradleCoding(cs.url!, code);
        const fresh = concept([own, ...terminology().translate(cs.url!, code).map((t) => t.coding)], own.display);
        expect(translated(cs.url!, code), `${cs.url}|${code}`).toEqual(fresh);
        expect(translated(cs.url!, code), `${cs.url}|${code} again`).toEqual(fresh);
      }
    }
  });

  it('hands out a fresh CodeableConcept and coding array each time', () => {
    const cs = codeSystems.find((c) => c.concept?.length)!;
    const code = cs.concept![0]!.code;
    const a = translated(cs.url!, code);
    const b = translated(cs.url!, code);
    expect(a).not.toBe(b);
    expect(a.coding).not.toBe(b.coding);
    expect(a.coding![0]).not.toBe(b.coding![0]);
  });

  it('still refuses a code the CodeSystem does not publish, and an unknown system', () => {
    const cs = codeSystems[0]!;
    expect(() => translated(cs.url!, 'no-such-code')).toThrow(/not defined/);
    expect(() => cradleCoding('https://example.org/CodeSystem/none', 'x')).toThrow(/not defined/);
  });
});
