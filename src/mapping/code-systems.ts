import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CodeSystem, Coding } from '../fhir/types.js';
import { packageRoot, readPackageJson } from '../util/package-root.js';

let displays: Map<string, string> | undefined;

/** Every code of Cradle's published CodeSystems (profiles/CodeSystem-*.json) with its display. */
function cradleCodes(): Map<string, string> {
  if (!displays) {
    displays = new Map();
    for (const file of readdirSync(join(packageRoot, 'profiles')).filter((f) => f.startsWith('CodeSystem-'))) {
      const cs = readPackageJson<CodeSystem>(`profiles/${file}`);
      for (const c of cs.concept ?? []) displays.set(`${cs.url}|${c.code}`, c.display ?? c.code);
    }
  }
  return displays;
}

/**
 * A coding from one of Cradle's own CodeSystems, with its published display. Throws for a
 * code the CodeSystem does not define: a mapping must never mint codes nobody published.
 */
export function cradleCoding(system: string, code: string): Coding {
  const display = cradleCodes().get(`${system}|${code}`);
  if (display === undefined) throw new Error(`code ${code} is not defined in ${system}`);
  return { system, code, display };
}
