import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so equal content gives equal text. Keys are
 * ordered by UTF-16 code units (`Array.prototype.sort`'s default, the same as `<`);
 * undefined properties are left out and undefined array items written as null, as
 * JSON.stringify does.
 *
 * Why hand-written: every resource stored and every view pushed is hashed with it, and the
 * obvious version (Object.entries → filter → sort → map → join at every level) allocated
 * several arrays per object: it was a visible share of the workers' CPU (bench/README.md).
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined ? 'null' : stableStringify(item);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(record);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${stableStringify(item)}`;
    first = false;
  }
  return `${out}}`;
}

/**
 * Own keys in code-unit order. FHIR objects have a handful of keys, for which an insertion
 * sort is several times faster than Array#sort; a large object (quadratic here) uses Array#sort.
 */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  if (keys.length > 24) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

export function stableHash(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}
