import type { CodeableConcept, Coding, Identifier, Reference } from '../fhir/types.js';
import { SYSTEM } from '../fhir/canonical.js';

export function coding(system: string, code: string, display?: string): Coding {
  return display ? { system, code, display } : { system, code };
}

/** A CodeableConcept from codings (undefined ones skipped) and optional text. */
export function concept(codings: Array<Coding | undefined>, text?: string): CodeableConcept {
  const present = codings.filter((c): c is Coding => c !== undefined);
  return { ...(present.length ? { coding: present } : {}), ...(text ? { text } : {}) };
}

export function ref(type: string, id: string, display?: string): Reference {
  return display ? { reference: `${type}/${id}`, display } : { reference: `${type}/${id}` };
}

/** A logical reference to an organisation by ODS code (no Organization resource needed). */
export function odsReference(odsCode: string, display?: string): Reference {
  return {
    type: 'Organization',
    identifier: { system: SYSTEM.odsOrganisation, value: odsCode },
    ...(display ? { display } : {}),
  };
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
