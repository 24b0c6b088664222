import type { Coding, ConceptMap } from '../fhir/types.js';

export interface Translation {
  coding: Coding;
  equivalence: string;
}

/**
 * Equivalences safe for asserting the target when the source holds: the target means the
 * same or less (R4 ConceptMap equivalence is "from source to target").
 */
export const SAFE_FORWARD: readonly string[] = ['equal', 'equivalent', 'wider'];

/**
 * Translation through FHIR ConceptMaps (R4 `$translate` semantics, in memory): local
 * vocabularies are data, so a code change needs no code change. Forward translation
 * (Cradle code → SNOMED on output) uses only {@link SAFE_FORWARD} targets, so Cradle
 * never writes a more specific clinical statement than the source made. Reverse
 * translation (a SNOMED code in a GP record → a Cradle factor) also uses `narrower` and
 * `inexact` targets: a specific code implies the broader factor. `unmatched` and
 * `disjoint` never translate.
 */
export class ConceptMapTranslator {
  private readonly forward = new Map<string, Translation[]>();
  private readonly reverse = new Map<string, Translation[]>();

  constructor(maps: readonly ConceptMap[]) {
    for (const map of maps) {
      for (const group of map.group ?? []) {
        for (const element of group.element ?? []) {
          for (const target of element.target ?? []) {
            if (!target.code || target.equivalence === 'unmatched' || target.equivalence === 'disjoint') continue;
            const fwd: Translation = { coding: { system: group.target!, code: target.code, ...(target.display ? { display: target.display } : {}) }, equivalence: target.equivalence };
            push(this.forward, `${group.source}|${element.code}`, fwd);
            const back: Translation = { coding: { system: group.source!, code: element.code!, ...(element.display ? { display: element.display } : {}) }, equivalence: target.equivalence };
            push(this.reverse, `${group.target}|${target.code}`, back);
          }
        }
      }
    }
  }

  /** Codings for a source code (first is the preferred one), safe ones only by default. */
  translate(sourceSystem: string, code: string, opts: { targetSystem?: string; equivalences?: readonly string[] } = {}): Translation[] {
    const allowed = opts.equivalences ?? SAFE_FORWARD;
    return (this.forward.get(`${sourceSystem}|${code}`) ?? []).filter(
      (t) => allowed.includes(t.equivalence) && (!opts.targetSystem || t.coding.system === opts.targetSystem));
  }

  /** Codes in `sourceSystem` that map to this target coding (e.g. SNOMED → Cradle factor). */
  reverseTranslate(targetSystem: string, code: string, sourceSystem?: string): Translation[] {
    return (this.reverse.get(`${targetSystem}|${code}`) ?? []).filter((t) => !sourceSystem || t.coding.system === sourceSystem);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
