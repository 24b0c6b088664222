import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeSystem, Coding } from '../fhir/types.js';
import { packageRoot, readPackageJson } from '../util/package-root.js';

let displays: Map<string, Map<string, string>> | undefined;

/**
 * Every code of Cradle's published CodeSystems (profiles/CodeSystem-*.json) with its
 * display, by system then code: nested maps so the per-coding lookup builds no key string.
 */
function cradleCodes(): Map<string, Map<string, string>> {
  if (!displays) {
    displays = new Map();
    for (const file of readdirSync(join(packageRoot, 'profiles')).filter((f) => f.startsWith('CodeSystem-'))) {
      const cs = readPackageJson<CodeSystem>(`profiles/${file}`);
      const codes = displays.get(cs.url!) ?? new Map<string, string>();
      for (const c of cs.concept ?? []) codes.set(c.code!, c.display ?? c.code!);
      displays.set(cs.url!, codes);
    }
  }
  return displays;
}

/**
 * A coding from one of Cradle's own CodeSystems, with its published display. Throws for a
 * code the CodeSystem does not define: a mapping must never mint codes nobody published.
 */
export function cradleCoding(system: string, code: string): Coding {
  const display = cradleCodes().get(system)?.get(code);
  if (display === undefined) throw new Error(`code ${code} is not defined in ${system}`);
  return { system, code, display };
}
