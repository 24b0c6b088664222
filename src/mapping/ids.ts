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
  return cradleUuid(parts.map(escapePart).join('|'));
}

/** `|` separates parts, so a `|` inside one is escaped: ('a|b') and ('a', 'b') differ. */
function escapePart(part: string | number): string {
  const s = String(part);
  return s.includes('|') ? s.replace(/\|/g, '\\|') : s;
}
