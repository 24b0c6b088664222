import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { CradleError } from '../fhir/outcome.js';

/**
 * A FHIR resource read without its version's definitions (STU3 here, where Cradle has only
 * R4 schemas): every element may repeat, primitives keep their `value`, extensions their
 * `url`. XML and JSON give the same tree, so one reader serves both. Each node knows its
 * FHIRPath-style location for error messages (`Bundle.entry[2].resource.identifier.value`).
 */
export class FhirNode {
  constructor(
    readonly path: string,
    readonly value: string | undefined,
    readonly url: string | undefined,
    private readonly children: ReadonlyMap<string, FhirNode[]>,
  ) {}

  all(name: string): FhirNode[] {
    return this.children.get(name) ?? [];
  }

  one(name: string): FhirNode | undefined {
    return this.children.get(name)?.[0];
  }

  /** The `value` of the first child `name`. */
  str(name: string): string | undefined {
    return this.one(name)?.value;
  }

  /** Child elements whose names start with `prefix` (choice types: `value[x]` → valueQuantity…). */
  choice(prefix: string): { type: string; node: FhirNode } | undefined {
    for (const [name, nodes] of this.children) {
      if (name.startsWith(prefix) && name.length > prefix.length && /[A-Z]/.test(name[prefix.length]!)) return { type: name.slice(prefix.length), node: nodes[0]! };
    }
    return undefined;
  }

  extensions(url: string): FhirNode[] {
    return this.all('extension').filter((e) => e.url === url);
  }

  /** For a `resource` (or `contained`) wrapper: the resource type and its element. */
  get resource(): { type: string; node: FhirNode } | undefined {
    const [entry] = [...this.children.entries()];
    return entry ? { type: entry[0], node: entry[1][0]! } : undefined;
  }
}

const xml = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, processEntities: true, htmlEntities: false, trimValues: false });

/**
 * FHIR XML → tree. DTDs are refused (FHIR forbids them, and they are how XML entity attacks
 * come in); the XHTML narrative is skipped.
 */
export function fhirTreeFromXml(text: string): FhirNode {
  if (/<!DOCTYPE/i.test(text)) throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['Bundle'], diagnostics: 'DTDs are not allowed in FHIR XML' });
  const check = XMLValidator.validate(text);
  if (check !== true) {
    throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['Bundle'], diagnostics: `not well-formed XML (line ${check.err.line}, column ${check.err.col})` });
  }
  let parsed: XmlNode[];
  try {
    parsed = xml.parse(text) as XmlNode[];
  } catch (err) {
    // The validator and the parser disagree on some malformed input (an unclosed comment in
    // a text node, found by fuzzing): the parser's refusal is a parse error like any other.
    throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['Bundle'], diagnostics: `not well-formed XML: ${(err as Error).message.split('\n')[0]}` }, { cause: err });
  }
  const roots = parsed.filter((n) => !('?xml' in n));
  const root = roots.find((n) => elementName(n) !== undefined);
  const name = root ? elementName(root)! : '';
  return fromXml(root ?? {}, name);
}

type XmlNode = Record<string, unknown>;

function elementName(n: XmlNode): string | undefined {
  return Object.keys(n).find((k) => k !== ':@' && k !== '#text' && k !== '#comment');
}

function fromXml(n: XmlNode, path: string): FhirNode {
  const name = elementName(n);
  const attrs = (n[':@'] ?? {}) as Record<string, string>;
  const kids = ((name ? n[name] : []) as XmlNode[]).filter((k) => elementName(k) !== undefined && elementName(k) !== 'div');
  const counts = countNames(kids.map((k) => elementName(k)!));
  const seen = new Map<string, number>();
  const children = new Map<string, FhirNode[]>();
  for (const k of kids) {
    const kn = elementName(k)!;
    const i = seen.get(kn) ?? 0;
    seen.set(kn, i + 1);
    // The resource inside `resource`/`contained` does not add a step to the path (as in FHIRPath on JSON).
    const childPath = name === 'resource' || name === 'contained' ? path : `${path}.${kn}${counts.get(kn)! > 1 ? `[${i}]` : ''}`;
    push(children, kn, fromXml(k, childPath));
  }
  return new FhirNode(path, attrs.value, attrs.url, children);
}

/** FHIR JSON (any version) → the same tree: arrays repeat, `_name` carries a primitive's extensions. */
export function fhirTreeFromJson(value: unknown, path = 'Bundle'): FhirNode {
  const obj = (value ?? {}) as Record<string, unknown>;
  const children = new Map<string, FhirNode[]>();
  for (const [key, v] of Object.entries(obj)) {
    if (key === 'resourceType' || key.startsWith('_') || key === 'url' || key === 'div') continue;
    const list = Array.isArray(v) ? v : [v];
    const extras = (Array.isArray(obj[`_${key}`]) ? obj[`_${key}`] : [obj[`_${key}`]]) as unknown[];
    list.forEach((item, i) => {
      const p = `${path}.${key}${list.length > 1 ? `[${i}]` : ''}`;
      push(children, key, jsonNode(key, item, extras[i], p));
    });
  }
  return new FhirNode(path, undefined, typeof obj.url === 'string' ? obj.url : undefined, children);
}

function jsonNode(key: string, item: unknown, extra: unknown, path: string): FhirNode {
  if (item !== null && typeof item === 'object') {
    const inner = item as Record<string, unknown>;
    if ((key === 'resource' || key === 'contained') && typeof inner.resourceType === 'string') {
      return new FhirNode(path, undefined, undefined, new Map([[inner.resourceType, [fhirTreeFromJson(inner, path)]]]));
    }
    return fhirTreeFromJson(inner, path);
  }
  const ext = extra ? fhirTreeFromJson(extra, path) : undefined;
  return new FhirNode(path, item === null || item === undefined ? undefined : String(item), undefined, new Map(ext ? [['extension', ext.all('extension')]] : []));
}

function countNames(names: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
  return counts;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
