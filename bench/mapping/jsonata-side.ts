import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsonata from 'jsonata';
import type { Bundle, CodeSystem, Coding } from '../../src/fhir/types.js';
import { validateResources } from '../../src/fhir/validator.js';
import { bundleResources } from '../../src/mapping/bundle.js';
import type { MappingContext } from '../../src/mapping/context.js';
import { deterministicId } from '../../src/mapping/ids.js';
import { terminology } from '../../src/mapping/terminology.js';
import { packageRoot, readPackageJson } from '../../src/util/package-root.js';
import type { MaternityRecord } from '../../mappings/maternity/record.js';
import type { MappedRecord } from './cradle-side.js';

interface Term {
  display: string;
  targets: Coding[];
}

/**
 * Cradle's vocabularies as one lookup for the JSONata mapping: every code of Cradle's
 * CodeSystems with its display and its safe ConceptMap translations. Built once, like the
 * translator Cradle builds from the same files; the mapping itself looks codes up.
 */
function terms(): Record<string, Term> {
  const out: Record<string, Term> = {};
  for (const file of readdirSync(join(packageRoot, 'profiles')).filter((f) => f.startsWith('CodeSystem-'))) {
    const cs = readPackageJson<CodeSystem>(`profiles/${file}`);
    for (const c of cs.concept ?? []) {
      out[`${cs.url}|${c.code}`] = { display: c.display ?? c.code, targets: terminology().translate(cs.url!, c.code).map((t) => t.coding) };
    }
  }
  return out;
}

export type JsonataMapper = (record: MaternityRecord, ctx: MappingContext) => Promise<MappedRecord>;

/**
 * The JSONata side: from the same parsed record to the same validation as Cradle's side,
 * with the mapping done by bench/mapping/maternity.jsonata instead of mappings/maternity/.
 * The expression is compiled once; each record is one `evaluate`.
 */
export function jsonataMapper(): JsonataMapper {
  const expression = jsonata(readFileSync(new URL('./maternity.jsonata', import.meta.url), 'utf8'));
  const bindings = { terms: terms(), uuid5: (parts: Array<string | number>) => deterministicId(...parts) };
  return async function jsonataMapAndValidate(record, ctx) {
    const bundle = (await expression.evaluate(record, { ...bindings, ctx })) as Bundle;
    const resources = bundleResources(bundle);
    return { resources, issues: validateResources(resources) };
  };
}
