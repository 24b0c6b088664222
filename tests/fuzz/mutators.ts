/**
 * Mutators for fuzzing Cradle's parsers: seeded (every failure reproduces from its seed),
 * byte-level for every format, and structural for the formats Cradle reads (ER7 segments and
 * fields, JSON values, XML elements).
 */
export type Random = () => number;

export function seeded(seed: number): Random {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Random, n: number) => Math.floor(r() * n);

const NASTY = ['', '\u0000', '\uFFFF', '\uD800', '💥', '\\', '"', "'", '<', '&', '\r', '\n', '|', '^', '~', '{', '}', '[', ']', ',', ':',
  '-1', '0', '1e309', 'NaN', 'null', 'true', '9999999999', '2026-02-30', '2026-13-01T25:61:61Z', 'x'.repeat(10_000), '\\X0D\\', '\\E\\\\E\\'];

/** Byte-level damage: flips, inserts, deletions, duplications, truncation. */
export function mutateBytes(r: Random, input: Buffer, alphabet: string): Buffer {
  const bytes = [...input];
  const rounds = 1 + int(r, 8);
  for (let i = 0; i < rounds && bytes.length < 2_000_000; i++) {
    const at = int(r, bytes.length + 1);
    switch (int(r, 6)) {
      case 0: if (bytes.length) bytes[Math.min(at, bytes.length - 1)] = int(r, 256); break;
      case 1: bytes.splice(at, 0, alphabet.charCodeAt(int(r, alphabet.length))); break;
      case 2: bytes.splice(at, 1 + int(r, 32)); break;
      case 3: { const len = 1 + int(r, 64); bytes.splice(at, 0, ...bytes.slice(at, at + len)); break; }
      case 4: bytes.length = at; break;
      default: bytes.splice(at, 0, ...Buffer.from(pick(r, NASTY))); break;
    }
  }
  return Buffer.from(bytes);
}

/** ER7 structure: segments dropped, repeated or shuffled; fields and separators garbled. */
export function mutateEr7(r: Random, input: Buffer): Buffer {
  const segments = input.toString('latin1').split(/\r\n|\r|\n/).filter(Boolean);
  const op = int(r, 5);
  if (op === 0 && segments.length > 1) segments.splice(int(r, segments.length), 1);
  if (op === 1) segments.splice(int(r, segments.length), 0, pick(r, segments));
  if (op === 2) segments.sort(() => r() - 0.5);
  if (op === 3 || op === 4) {
    const i = int(r, segments.length);
    const fields = (segments[i] ?? '').split('|');
    const f = int(r, Math.max(1, fields.length));
    fields[f] = op === 3 ? pick(r, NASTY) : (fields[f] ?? '').repeat(2 + int(r, 50));
    segments[i] = fields.join('|');
  }
  return Buffer.from(segments.join(pick(r, ['\r', '\n', '\r\n'])), 'latin1');
}

/**
 * Well-typed JSON damage, to get past the contract and exercise the mappings: a value
 * swapped for another value of the same type from the same document, array items
 * duplicated or dropped. (A subject naming a baby that is not there, a date moved into
 * another field, twins where there was one baby.)
 */
export function mutateJsonTyped(r: Random, input: Buffer): Buffer {
  let doc: unknown;
  try {
    doc = JSON.parse(input.toString('utf8'));
  } catch {
    return input;
  }
  const strings: string[] = [];
  const collect = (v: unknown): void => {
    if (typeof v === 'string') strings.push(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(collect);
  };
  collect(doc);
  const rounds = 1 + int(r, 4);
  for (let i = 0; i < rounds; i++) doc = typedChange(r, doc, strings, 0);
  return Buffer.from(JSON.stringify(doc) ?? '');
}

function typedChange(r: Random, v: unknown, strings: string[], depth: number): unknown {
  if (Array.isArray(v)) {
    if (v.length && r() < 0.3) {
      const copy = [...v];
      if (r() < 0.5) copy.splice(int(r, copy.length), 1);
      else copy.splice(int(r, copy.length), 0, structuredClone(pick(r, copy)));
      return copy;
    }
    if (!v.length) return v;
    const copy = [...v];
    const i = int(r, copy.length);
    copy[i] = typedChange(r, copy[i], strings, depth + 1);
    return copy;
  }
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (!keys.length) return v;
    const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    const k = pick(r, keys);
    copy[k] = typedChange(r, copy[k], strings, depth + 1);
    return copy;
  }
  if (typeof v === 'string' && strings.length && (depth > 1 || r() < 0.5)) return pick(r, strings);
  if (typeof v === 'number') return r() < 0.5 ? v + 1 : Math.max(0, v - 1);
  if (typeof v === 'boolean') return !v;
  return v;
}

/** JSON structure: values replaced with wrong types or nasty strings, keys dropped or added, deep nesting. */
export function mutateJson(r: Random, input: Buffer): Buffer {
  let doc: unknown;
  try {
    doc = JSON.parse(input.toString('utf8'));
  } catch {
    return mutateBytes(r, input, '{}[]",:');
  }
  const rounds = 1 + int(r, 4);
  for (let i = 0; i < rounds; i++) doc = mutateValue(r, doc, 0);
  return Buffer.from(JSON.stringify(doc) ?? "");
}

function mutateValue(r: Random, v: unknown, depth: number): unknown {
  if (depth > 12 || r() < 0.15) {
    switch (int(r, 8)) {
      case 0: return null;
      case 1: return pick(r, NASTY);
      case 2: return r() * 1e12 - 5e11;
      case 3: return [];
      case 4: return {};
      case 5: return true;
      case 6: return deepNest(int(r, 2000));
      default: return undefined;
    }
  }
  if (Array.isArray(v)) {
    if (v.length === 0 || r() < 0.1) return [...v, mutateValue(r, pick(r, v.length ? v : [{}]), depth + 1)];
    const copy = [...v];
    const i = int(r, copy.length);
    copy[i] = mutateValue(r, copy[i], depth + 1);
    return copy;
  }
  if (v && typeof v === 'object') {
    const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (!keys.length || r() < 0.1) copy[pick(r, ['__proto__', 'constructor', 'resourceType', 'id', 'x'.repeat(300), 'extra'])] = pick(r, NASTY);
    else {
      const k = pick(r, keys);
      const next = mutateValue(r, copy[k], depth + 1);
      if (next === undefined) delete copy[k];
      else copy[k] = next;
    }
    return copy;
  }
  return mutateValue(r, null, depth + 13);
}

function deepNest(n: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** XML structure: elements dropped, repeated or emptied; text replaced; tags left unclosed. */
export function mutateXml(r: Random, input: Buffer): Buffer {
  const text = input.toString('utf8');
  const tags = [...text.matchAll(/<([A-Za-z][\w:.-]*)[^>]*>[^<]*<\/\1>/g)];
  if (tags.length === 0) return mutateBytes(r, input, '<>/&"=');
  const m = pick(r, tags);
  const start = m.index!;
  const end = start + m[0].length;
  switch (int(r, 5)) {
    case 0: return Buffer.from(text.slice(0, start) + text.slice(end));
    case 1: return Buffer.from(text.slice(0, end) + m[0].repeat(1 + int(r, 200)) + text.slice(end));
    case 2: return Buffer.from(text.slice(0, start) + `<${m[1]}>${pick(r, NASTY).replace(/[<&]/g, '')}</${m[1]}>` + text.slice(end));
    case 3: return Buffer.from(text.slice(0, start) + `<${m[1]}>` + text.slice(end));
    default: return Buffer.from(text.slice(0, start) + `<!DOCTYPE x [<!ENTITY a "${'a'.repeat(1000)}">]>&a;` + text.slice(end));
  }
}
