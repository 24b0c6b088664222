import { uuidV5 } from './uuid5.js';

/** UUID v5 namespace for every id Cradle mints (a fixed random UUID, never change it). */
export const CRADLE_ID_NAMESPACE = '5b0f3a57-2c1e-4c47-9a2b-8a6f1d3e9c10';

const cradleUuid = uuidV5(CRADLE_ID_NAMESPACE);

/**
 * A deterministic resource id from the source identity of what it represents: the same
 * source fact always gets the same id, so re-processing updates instead of duplicating.
 *
 * @example deterministicId('maternity', 'RHM', 'RHM-PREG-000123', 'contact', 'C2')
 */
export function deterministicId(...parts: Array<string | number>): string {
  return cradleUuid(joinParts(parts));
}

/**
 * `deterministicId(...prefix, ...parts)` for many ids under one prefix (a record's
 * source, trust and record id): the prefix is escaped and joined once, not per id.
 *
 * @example const id = deterministicIdsUnder('maternity', 'RHM', 'RHM-PREG-000123'); id('contact', 'C2')
 */
export function deterministicIdsUnder(...prefix: Array<string | number>): (...parts: Array<string | number>) => string {
  if (prefix.length === 0) return deterministicId;
  const head = joinParts(prefix);
  return (...parts) => cradleUuid(parts.length === 0 ? head : `${head}|${joinParts(parts)}`);
}

function joinParts(parts: ReadonlyArray<string | number>): string {
  // A loop rather than map/join: no intermediate array for the mapping's hottest call.
  let name = parts.length > 0 ? escapePart(parts[0]!) : '';
  for (let i = 1; i < parts.length; i++) name += `|${escapePart(parts[i]!)}`;
  return name;
}

/** `|` separates parts, so a `|` inside one is escaped: ('a|b') and ('a', 'b') differ. */
function escapePart(part: string | number): string {
  const s = typeof part === 'string' ? part : String(part);
  return s.includes('|') ? s.replace(/\|/g, '\\|') : s;
}
