import type { CodeableConcept, Coding, Identifier, Reference } from '../fhir/types.js';
import { SYSTEM } from '../fhir/canonical.js';

export function coding(system: string, code: string, display?: string): Coding {
  return display ? { system, code, display } : { system, code };
}

/** A CodeableConcept from codings (undefined ones skipped) and optional text. */
export function concept(codings: Array<Coding | undefined>, text?: string): CodeableConcept {
  // Every resource has several of these, so: one literal per case rather than spreading
  // `{ coding }`/`{}` halves (same keys, same order; the spreads cost ~20× more), and a
  // plain loop rather than `filter`. The result is a new array, never the caller's.
  const present: Coding[] = [];
  for (const c of codings) if (c !== undefined) present.push(c);
  if (present.length) return text ? { coding: present, text } : { coding: present };
  return text ? { text } : {};
}

export function ref(type: string, id: string, display?: string): Reference {
  return display ? { reference: `${type}/${id}`, display } : { reference: `${type}/${id}` };
}

/** A logical reference to an organisation by ODS code (no Organization resource needed). */
export function odsReference(odsCode: string, display?: string): Reference {
  const identifier = { system: SYSTEM.odsOrganisation, value: odsCode };
  return display ? { type: 'Organization', identifier, display } : { type: 'Organization', identifier };
}

export function identifier(system: string, value: string): Identifier {
  return { system, value };
}

export function hasCoding(cc: CodeableConcept | CodeableConcept[] | undefined, system: string, code?: string): boolean {
  const list = Array.isArray(cc) ? cc : cc ? [cc] : [];
  return list.some((c) => c.coding?.some((k) => k.system === system && (code === undefined || k.code === code)));
}

export function codeIn(cc: CodeableConcept | CodeableConcept[] | undefined, system: string): string | undefined {
  const list = Array.isArray(cc) ? cc : cc ? [cc] : [];
  for (const c of list) for (const k of c.coding ?? []) if (k.system === system && k.code) return k.code;
  return undefined;
}
