import { createHash } from 'node:crypto';
import { SYSTEM } from '../../src/fhir/canonical.js';
import type { CodeableConcept, Extension, HumanName, Identifier } from '../../src/fhir/types.js';
import { terminology } from '../../src/mapping/terminology.js';

/**
 * The Cradle code a CodeableConcept means in one of Cradle's CodeSystems: its own coding,
 * or a standard code (SNOMED CT, LOINC, v3) that Cradle's ConceptMaps relate to one — the
 * same maps the maternity mapping translates forward, read backwards, so a FHIR copy and
 * a JSON record land on the same Cradle codes.
 */
export function cradleCode(cc: CodeableConcept | undefined, system: string): string | undefined {
  for (const c of cc?.coding ?? []) if (c.system === system && c.code) return c.code;
  for (const c of cc?.coding ?? []) {
    if (!c.system || !c.code) continue;
    const back = terminology().reverseTranslate(c.system, c.code, system)[0];
    if (back?.coding.code) return back.coding.code;
  }
  return undefined;
}

export function nhsNumberOf(ids: readonly Identifier[] | undefined): string | undefined {
  return ids?.find((i) => i.system === SYSTEM.nhsNumber && i.value)?.value;
}

/**
 * The trust's own identifier: an MR-typed one first, else the first that is not the NHS
 * number. Identifiers scoped to a record (`<recordId>/<localId>`) give back the local part.
 */
export function localIdOf(ids: readonly Identifier[] | undefined, recordId?: string): string | undefined {
  const local = (ids ?? []).filter((i) => i.value && i.system !== SYSTEM.nhsNumber);
  const mr = local.find((i) => i.type?.coding?.some((c) => c.code === 'MR'));
  const value = (mr ?? local[0])?.value;
  if (value && recordId && value.startsWith(`${recordId}/`)) return value.slice(recordId.length + 1);
  return value;
}

export function nameOf(names: readonly HumanName[] | undefined): { family?: string; given?: string[] } | undefined {
  const n = names?.find((x) => x.use === 'official') ?? names?.[0];
  if (!n || (!n.family && !n.given?.length)) return undefined;
  return { ...(n.family ? { family: n.family } : {}), ...(n.given?.length ? { given: [...n.given] } : {}) };
}

export function extensionValue<T>(exts: readonly Extension[] | undefined, url: string, pick: (e: Extension) => T | undefined): T | undefined {
  const e = exts?.find((x) => x.url === url);
  return e ? pick(e) : undefined;
}

/** A Cradle-minted key for something the copy names without an identifier: stable for the same content. */
export function mintedKey(prefix: string, ...parts: Array<string | undefined>): string {
  return `${prefix}-${createHash('sha256').update(parts.map((p) => p ?? '').join('|')).digest('hex').slice(0, 12)}`;
}

/** Text of an XHTML narrative, for the contract's free-text fields. */
export function narrativeText(div: string | undefined): string | undefined {
  if (!div) return undefined;
  const text = div.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').trim();
  return text || undefined;
}
