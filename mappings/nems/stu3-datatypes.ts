import type { Address, Annotation, CodeableConcept, Coding, HumanName, Identifier, Period, Quantity, Reference } from '../../src/fhir/types.js';
import type { FhirNode } from '../../src/ingest/fhir-tree.js';

/**
 * STU3 → R4 data types (FHIR R4 "Version Management": the data types Cradle reads are
 * unchanged except for code system URLs, which moved from hl7.org/fhir to
 * terminology.hl7.org). Elements not listed are not read; STU3 extensions are dropped.
 */
const MOVED_SYSTEMS: Readonly<Record<string, string>> = {
  'http://hl7.org/fhir/observation-category': 'http://terminology.hl7.org/CodeSystem/observation-category',
  'http://hl7.org/fhir/condition-clinical': 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  'http://hl7.org/fhir/condition-ver-status': 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  'http://hl7.org/fhir/condition-category': 'http://terminology.hl7.org/CodeSystem/condition-category',
  'http://hl7.org/fhir/observation-interpretation': 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation',
};

export function system(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const v3 = /^http:\/\/hl7\.org\/fhir\/v3\/(.+)$/.exec(url);
  if (v3) return `http://terminology.hl7.org/CodeSystem/v3-${v3[1]}`;
  const v2 = /^http:\/\/hl7\.org\/fhir\/v2\/(\d{4})$/.exec(url);
  if (v2) return `http://terminology.hl7.org/CodeSystem/v2-${v2[1]}`;
  return MOVED_SYSTEMS[url] ?? url;
}

/** Drops undefined and empty values so the R4 output never carries `""`, `[]` or `{}`. */
export function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

export function list<T>(nodes: FhirNode[], convert: (n: FhirNode) => T | undefined): T[] {
  return nodes.map(convert).filter((x): x is T => x !== undefined && !(typeof x === 'object' && Object.keys(x as object).length === 0));
}

export function coding(n: FhirNode): Coding | undefined {
  const c = compact({ system: system(n.str('system')), version: n.str('version'), code: n.str('code'), display: n.str('display') });
  return Object.keys(c).length ? c : undefined;
}

export function concept(n: FhirNode | undefined): CodeableConcept | undefined {
  if (!n) return undefined;
  const c = compact({ coding: list(n.all('coding'), coding), text: n.str('text') });
  return Object.keys(c).length ? c : undefined;
}

export function identifier(n: FhirNode): Identifier | undefined {
  const value = n.str('value');
  if (!value) return undefined;
  return compact({ use: n.str('use') as Identifier['use'], system: n.str('system'), value, period: period(n.one('period')) });
}

export function reference(n: FhirNode | undefined): Reference | undefined {
  if (!n) return undefined;
  const ident = n.one('identifier');
  const r = compact({ reference: n.str('reference'), identifier: ident ? identifier(ident) : undefined, display: n.str('display') });
  return Object.keys(r).length ? r : undefined;
}

export function period(n: FhirNode | undefined): Period | undefined {
  if (!n) return undefined;
  const p = compact({ start: n.str('start'), end: n.str('end') });
  return Object.keys(p).length ? p : undefined;
}

export function humanName(n: FhirNode): HumanName {
  return compact({
    use: n.str('use') as HumanName['use'], text: n.str('text'), family: n.str('family'),
    given: list(n.all('given'), (g) => g.value), prefix: list(n.all('prefix'), (g) => g.value), suffix: list(n.all('suffix'), (g) => g.value),
    period: period(n.one('period')),
  });
}

/** Postcodes upper-cased: routing compares them. */
export function address(n: FhirNode): Address {
  return compact({
    use: n.str('use') as Address['use'], type: n.str('type') as Address['type'], text: n.str('text'),
    line: list(n.all('line'), (l) => l.value), city: n.str('city'), district: n.str('district'), state: n.str('state'),
    postalCode: n.str('postalCode')?.toUpperCase(), country: n.str('country'), period: period(n.one('period')),
  });
}

export function quantity(n: FhirNode): Quantity {
  const value = n.str('value');
  return compact({
    value: value === undefined ? undefined : Number(value), comparator: n.str('comparator') as Quantity['comparator'],
    unit: n.str('unit'), system: n.str('system'), code: n.str('code'),
  });
}

export function annotation(n: FhirNode): Annotation | undefined {
  const text = n.str('text');
  return text ? compact({ text, time: n.str('time'), authorString: n.str('authorString') }) : undefined;
}

/** `value[x]` (and the like) for the choice types Cradle reads; others are left out. */
export function choiceValue(n: FhirNode, prefix: string): Record<string, unknown> {
  const c = n.choice(prefix);
  if (!c) return {};
  const key = `${prefix}${c.type}`;
  switch (c.type) {
    case 'Quantity': case 'SimpleQuantity': return { [`${prefix}Quantity`]: quantity(c.node) };
    case 'CodeableConcept': return { [key]: concept(c.node) };
    case 'Period': return { [key]: period(c.node) };
    case 'Boolean': return { [key]: c.node.value === 'true' };
    case 'Integer': return { [key]: Number(c.node.value) };
    case 'String': case 'DateTime': case 'Time': case 'Date': return c.node.value ? { [key]: c.node.value } : {};
    default: return {};
  }
}
