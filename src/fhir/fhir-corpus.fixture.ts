import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';
import { Ajv, type ValidateFunction } from './ajv.js';
import { draft06MetaSchema, preparedR4Schema } from './r4-schema.js';

/** ajv over the prepared R4 schema, configured as validator.ts configures it: the reference verdict. */
export function r4Ajv(): ValidateFunction {
  const ajv = new Ajv({ discriminator: true, allErrors: true, strict: false, allowUnionTypes: true, validateFormats: false });
  ajv.addMetaSchema(draft06MetaSchema());
  return ajv.compile(preparedR4Schema());
}

/** Every Bundle of the golden cases' expected outputs and the Synthea samples, then each entry's resource. */
export function corpus(): unknown[] {
  const files = [
    ...readdirSync(join(packageRoot, 'mappings')).flatMap((source) => {
      const dir = join(packageRoot, 'mappings', source, 'cases');
      try {
        return readdirSync(dir).filter((f) => f.endsWith('.expected.json')).map((f) => join(dir, f));
      } catch {
        return [];
      }
    }),
    ...readdirSync(join(packageRoot, 'tests/data/external/fhir-r4/synthea')).map((f) => join(packageRoot, 'tests/data/external/fhir-r4/synthea', f)),
  ];
  return files.flatMap((file) => {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { resourceType?: string; entry?: Array<{ resource?: unknown }> };
    return json.resourceType === 'Bundle' ? [json, ...(json.entry ?? []).map((e) => e.resource)] : [];
  });
}

/** A small deterministic random source for the mutations. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 4294967296);
}

const ODD_VALUES: unknown[] = [null, '', ' ', 'x', '2026-13-40', 'a b', 42, 1.5, -0, true, false, [], [null], {}, { unknown: 1 }, { url: 'x' }, ['x'], [{}],
  'a\u00a0b', 'a\u2028b', '\ud800', 'x'.repeat(65), '2024-02-29T24:00:00Z', '2024-02-29T10:00:00+14:01', 'urn:uuid:x', 1e300];

type Node = Record<string, unknown>;

/** A random object or array inside `root` (the root itself sometimes), following up to 6 keys. */
function pickNode(root: Node, next: () => number): Node {
  let node = root;
  for (let depth = 0; depth < 6; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const child = node[keys[Math.floor(next() * keys.length)]!];
    if (!child || typeof child !== 'object' || next() < 0.3) break;
    node = child as Node;
  }
  return node;
}

/** One random change somewhere in a JSON value: replace a value, add a key, delete a key. */
export function mutate(value: unknown, next: () => number): unknown {
  const copy = structuredClone(value) as Node;
  let node: Node = copy;
  for (let depth = 0; depth < 6; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[Math.floor(next() * keys.length)]!;
    const child = node[key];
    if (child && typeof child === 'object' && next() < 0.7) {
      node = child as Node;
      continue;
    }
    const roll = next();
    if (roll < 0.6) node[key] = ODD_VALUES[Math.floor(next() * ODD_VALUES.length)];
    else if (roll < 0.8) node[`x${key}`] = 'added';
    else delete node[key];
    break;
  }
  return copy;
}

/**
 * One change aimed at the base rules checkBaseRules enforces and the schema does not: an
 * empty object or array, an extension without a url, a required primitive taken away (or
 * given only as its `_` twin), a resource inside another missing one.
 */
export function breakBaseRule(value: unknown, next: () => number): unknown {
  const copy = structuredClone(value) as Node;
  const node = pickNode(copy, next);
  const keys = Object.keys(node);
  const key = keys[Math.floor(next() * keys.length)] ?? 'id';
  const ext = { url: 'http://example.org/x', valueString: 'x' };
  switch (Math.floor(next() * 8)) {
    case 0: node[key] = {}; break;
    case 1: node[key] = []; break;
    case 2: node.extension = [ext, { valueString: 'no url' }]; break;
    case 3: node.modifierExtension = [{ url: 42, valueString: 'x' }]; break;
    case 4: delete copy.status; delete copy.type; delete copy.intent; break;
    case 5:
      if (copy.status !== undefined) copy._status = { extension: [ext] };
      delete copy.status;
      break;
    case 6: copy.contained = [{ resourceType: 'Encounter', id: 'e1' }]; break;
    default: node.extension = [{ url: 'http://example.org/y', extension: [{ valueCode: 'x' }] }];
  }
  return copy;
}
