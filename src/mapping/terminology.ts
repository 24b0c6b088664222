import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeableConcept, Coding, ConceptMap } from '../fhir/types.js';
import { packageRoot, readPackageJson } from '../util/package-root.js';
import { cradleCoding } from './code-systems.js';
import { concept } from './coding.js';
import { ConceptMapTranslator } from './conceptmap.js';

let shared: ConceptMapTranslator | undefined;

/**
 * Cradle's published ConceptMaps (profiles/ConceptMap-*.json), between its own
 * vocabularies and SNOMED CT / LOINC / HL7 v3, loaded once. Mappings translate forward
 * (Cradle code → standard code on output); rules translate in reverse (a SNOMED code from
 * any source → the Cradle concept they match on). Terminology is data: changing a map
 * needs no code change.
 */
export function terminology(): ConceptMapTranslator {
  if (!shared) {
    const files = readdirSync(join(packageRoot, 'profiles')).filter((f) => f.startsWith('ConceptMap-'));
    shared = new ConceptMapTranslator(files.map((f) => readPackageJson<ConceptMap>(`profiles/${f}`)));
  }
  return shared;
}

/**
 * A CodeableConcept with the Cradle code first and its safe standard translations after.
 * Rules match on the Cradle coding; EHRs display the SNOMED or LOINC one.
 */
export function translated(system: string, code: string): CodeableConcept {
  const own = cradleCoding(system, code);
  return concept([own, ...safeTargets(system, code)], own.display);
}

const targetsByCode = new Map<string, Map<string, readonly Coding[]>>();

/**
 * `terminology().translate(system, code)`'s codings, remembered: the ConceptMaps are
 * loaded once and never change, and a record asks for the same few codes dozens of times.
 * The codings are the translator's own objects, exactly as `translate` returns them. The
 * memo stays small: `translated` asks only for codes `cradleCoding` found published.
 */
function safeTargets(system: string, code: string): readonly Coding[] {
  let bySystem = targetsByCode.get(system);
  if (!bySystem) targetsByCode.set(system, (bySystem = new Map()));
  let targets = bySystem.get(code);
  if (!targets) bySystem.set(code, (targets = terminology().translate(system, code).map((t) => t.coding)));
  return targets;
}

/**
 * True when a CodeableConcept means `code` in Cradle's `system`: it carries that coding, or
 * a standard code the ConceptMaps relate to it (in reverse, narrower codes included).
 */
export function means(cc: CodeableConcept | undefined, system: string, code: string): boolean {
  for (const c of cc?.coding ?? []) {
    if (!c.system || !c.code) continue;
    if (c.system === system && c.code === code) return true;
    if (terminology().reverseTranslate(c.system, c.code, system).some((t) => t.coding.code === code)) return true;
  }
  return false;
}
