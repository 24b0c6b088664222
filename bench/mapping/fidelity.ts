import type { AnyResource } from '../../src/fhir/types.js';
import { stableStringify } from '../../src/util/stable-json.js';

/** How close the JSONata mapping's output is to Cradle's, over every benchmarked record. */
export interface Fidelity {
  records: number;
  /** Records where both produced the same number of resources of each type. */
  sameCountsByType: number;
  /** Records where every resource is identical (same ids, same content, key order aside). */
  identicalRecords: number;
  resources: { cradle: number; jsonata: number; identical: number };
  /** The first few differences, as `Type/id path`, for the README. */
  examples: string[];
}

export function emptyFidelity(): Fidelity {
  return { records: 0, sameCountsByType: 0, identicalRecords: 0, resources: { cradle: 0, jsonata: 0, identical: 0 }, examples: [] };
}

/** Adds one record's pair of outputs to the tally. */
export function compareOutputs(f: Fidelity, cradle: readonly AnyResource[], jsonata: readonly AnyResource[]): void {
  f.records++;
  f.resources.cradle += cradle.length;
  f.resources.jsonata += jsonata.length;
  if (stableStringify(countByType(cradle)) === stableStringify(countByType(jsonata))) f.sameCountsByType++;
  const theirs = new Map(jsonata.map((r) => [`${r.resourceType}/${r.id}`, r]));
  let identical = 0;
  for (const mine of cradle) {
    const key = `${mine.resourceType}/${mine.id}`;
    const other = theirs.get(key);
    const where = other === undefined ? '(missing)' : firstDifference(mine, other, '');
    if (where === undefined) identical++;
    else if (f.examples.length < 5) f.examples.push(`${key} ${where}`);
  }
  f.resources.identical += identical;
  if (identical === cradle.length && cradle.length === jsonata.length) f.identicalRecords++;
}

function countByType(resources: readonly AnyResource[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of resources) out[r.resourceType] = (out[r.resourceType] ?? 0) + 1;
  return out;
}

/** The path of the first difference between two JSON values, or undefined when equal. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) {
    return `${path || '.'}: ${JSON.stringify(a)?.slice(0, 60)} vs ${JSON.stringify(b)?.slice(0, 60)}`;
  }
  if (Array.isArray(a)) {
    // By index only: JSONata marks some arrays with a `keepSingleton` property that JSON never carries.
    const b2 = b as unknown[];
    for (let i = 0; i < Math.max(a.length, b2.length); i++) {
      const d = firstDifference(a[i], b2[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d !== undefined) return d;
  }
  return undefined;
}
