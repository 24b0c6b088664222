import { SYSTEM } from '../fhir/canonical.js';
import type { Patient } from '../fhir/types.js';

/** What matching compares, normalised: upper-case ASCII letters, postcodes without spaces. */
export interface Demographics {
  family?: string;
  given?: string;
  birthDate?: string;
  sex?: string;
  postcode?: string;
  nhsNumber?: string;
  /** Systems of the person's local identifiers (same system, different value = different person). */
  identifierSystems: string[];
  /** `system|value` of every identifier. */
  identifiers: string[];
  /**
   * The given name is what a ward writes before a baby is named ("Baby", "Twin 1", "Infant
   * of Smith", "Girl"): it says nothing about which baby, so it is not compared, and such a
   * person is never matched automatically (twins would be merged).
   */
  placeholderName?: true;
}

const PLACEHOLDER_GIVEN = /^(baby|babe|twin|triplet|infant|newborn|neonate|unnamed|unknown|child|boy|girl|male|female|b\/[bg]|bb|bg)\b|\d/i;

export function demographicsOf(p: Patient): Demographics {
  const name = p.name?.find((n) => n.use === 'official') ?? p.name?.[0];
  const address = p.address?.find((a) => a.use !== 'old' && !a.period?.end) ?? p.address?.[0];
  const ids = (p.identifier ?? []).filter((i) => i.system && i.value);
  const out: Demographics = {
    identifierSystems: [...new Set(ids.filter((i) => i.system !== SYSTEM.nhsNumber).map((i) => i.system!))].sort(),
    identifiers: ids.map((i) => `${i.system}|${i.value}`),
  };
  const family = normaliseName(name?.family);
  const rawGiven = name?.given?.[0]?.trim();
  const placeholder = rawGiven !== undefined && PLACEHOLDER_GIVEN.test(rawGiven);
  const given = placeholder ? undefined : normaliseName(rawGiven);
  const postcode = normalisePostcode(address?.postalCode);
  const nhs = ids.find((i) => i.system === SYSTEM.nhsNumber)?.value;
  if (family) out.family = family;
  if (given) out.given = given;
  if (p.birthDate && /^\d{4}-\d{2}-\d{2}/.test(p.birthDate)) out.birthDate = p.birthDate.slice(0, 10);
  if (p.gender === 'male' || p.gender === 'female') out.sex = p.gender;
  if (postcode) out.postcode = postcode;
  if (nhs) out.nhsNumber = nhs;
  if (placeholder) out.placeholderName = true;
  return out;
}

/** "Smith-Jones", "O'Brien", "Zoë" → "SMITHJONES", "OBRIEN", "ZOE". */
export function normaliseName(name: string | undefined): string | undefined {
  const n = name?.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase().replace(/[^A-Z]/g, '');
  return n || undefined;
}

export function normalisePostcode(pc: string | undefined): string | undefined {
  const n = pc?.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return n && n.length >= 5 ? n : undefined;
}

/** The outward code (district): "SO166YD" → "SO16". */
export function outwardCode(postcode: string): string {
  return postcode.slice(0, -3);
}

/** American Soundex: a blocking key that survives common spelling variants (Smith/Smyth). */
export function soundex(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const codes: Record<string, string> = { B: '1', F: '1', P: '1', V: '1', C: '2', G: '2', J: '2', K: '2', Q: '2', S: '2', X: '2', Z: '2', D: '3', T: '3', L: '4', M: '5', N: '5', R: '6' };
  let out = name[0]!;
  let last = codes[name[0]!] ?? '';
  for (const ch of name.slice(1)) {
    const code = codes[ch] ?? '';
    if (code && code !== last) out += code;
    if (ch !== 'H' && ch !== 'W') last = code;
  }
  return out.padEnd(4, '0').slice(0, 4);
}

/** Jaro–Winkler similarity in [0, 1]. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatch = new Array<boolean>(a.length).fill(false);
  const bMatch = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(b.length, i + window + 1); j++) {
      if (bMatch[j] || a[i] !== b[j]) continue;
      aMatch[i] = bMatch[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  for (let i = 0, k = 0; i < a.length; i++) {
    if (!aMatch[i]) continue;
    while (!bMatch[k]) k++;
    if (a[i] !== b[k++]) transpositions++;
  }
  const jaro = (matches / a.length + matches / b.length + (matches - transpositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < 4 && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}
