import { CS } from '../../src/fhir/canonical.js';
import type { CodeableConcept } from '../../src/fhir/types.js';
import { coding, concept } from '../../src/mapping/coding.js';
import { cradleCoding } from '../../src/mapping/code-systems.js';
import { translated } from '../../src/mapping/terminology.js';

export { translated };

/**
 * A Cradle-coded concept where the source may give its own code. The source's code wins
 * over the ConceptMap's translation (CONTRACTS.md): it comes first, and the translation
 * is left out so the two cannot disagree.
 */
export function withExplicit(system: string, code: string, explicit: { system: string; code: string; display?: string } | undefined): CodeableConcept {
  if (!explicit) return translated(system, code);
  const own = cradleCoding(system, code);
  return concept([coding(explicit.system, explicit.code, explicit.display), own], explicit.display ?? own.display);
}

export function contactType(type: string): CodeableConcept {
  const own = cradleCoding(CS.contactType, type);
  return concept([own], own.display);
}
