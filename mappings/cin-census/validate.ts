import type { Issue } from '../../src/fhir/outcome.js';
import type { ElementSpec, ValueType } from './schema.js';
import type { XmlNode } from './xml.js';

/**
 * Checks an element tree against the schema data, gathering every problem, each with an
 * XPath-like expression into the return (`/Message/Children/Child[3]/ChildIdentifiers/
 * PersonBirthDate`). Repeatable elements carry their 1-based position; `childIndex` is the
 * child's position in the whole return, not in the part.
 */
export function validateTree(node: XmlNode, spec: ElementSpec, opts: { prefix?: string; childIndex?: number } = {}): Issue[] {
  const path = `${opts.prefix ?? ''}/${spec.name}`;
  if (node.name !== spec.name) return [invalid(`${opts.prefix ?? ''}/${node.name}`, `is not ${spec.name}`)];
  return checkElement(node, spec, path, opts.childIndex);
}

function checkElement(node: XmlNode, spec: ElementSpec, path: string, childIndex: number | undefined): Issue[] {
  if (!Array.isArray(spec.content)) {
    if (node.children.length > 0) return [invalid(path, 'must hold a value, not elements')];
    return checkValue(node.text, spec.content as ValueType, path);
  }
  const specs = spec.content as readonly ElementSpec[];
  const issues: Issue[] = [];
  if (node.text !== '') issues.push(invalid(path, 'has text where only elements are allowed (a stray value outside any element)'));
  const seen = new Map<string, number>();
  for (const child of node.children) {
    const childSpec = specs.find((s) => s.name === child.name);
    const n = (seen.get(child.name) ?? 0) + 1;
    seen.set(child.name, n);
    if (!childSpec) {
      issues.push(invalid(`${path}/${child.name}`, `is not an element of ${spec.name} in the CIN census schema`));
      continue;
    }
    const position = childSpec.name === 'Child' && childIndex !== undefined ? childIndex : n;
    const childPath = `${path}/${child.name}${indexSuffix(childSpec, position)}`;
    if (n > childSpec.max) issues.push(invalid(childPath, `may appear at most ${childSpec.max} time(s) in ${spec.name}`));
    else issues.push(...checkElement(child, childSpec, childPath, childIndex));
  }
  for (const s of specs) {
    if ((seen.get(s.name) ?? 0) < s.min) issues.push(missing(`${path}/${s.name}`, `is required in ${spec.name}`));
  }
  return issues;
}

function indexSuffix(spec: ElementSpec, position: number | undefined): string {
  return spec.max > 1 && position !== undefined ? `[${position}]` : '';
}

function checkValue(text: string, type: ValueType, path: string): Issue[] {
  switch (type.kind) {
    case 'string': return [];
    case 'date': return isXsdDate(text) ? [] : [invalid(path, 'must be a date (YYYY-MM-DD)')];
    case 'dateTime': return isXsdDateTime(text) ? [] : [invalid(path, 'must be a date-time (YYYY-MM-DDThh:mm:ss)')];
    case 'gYear': return /^\d{4}(Z|[+-]\d{2}:\d{2})?$/.test(text) ? [] : [invalid(path, 'must be a year (YYYY)')];
    case 'count': return /^\d+$/.test(text) ? [] : [invalid(path, 'must be a whole number')];
    case 'pattern': return type.pattern.test(text) ? [] : [invalid(path, `must be ${type.describe}`)];
    case 'code':
      return type.codes.has(text) ? [] : [invalid(path, `must be one of the CIN census codes: ${[...type.codes].join(', ')}`)];
  }
}

/** xs:date: a real calendar date, optionally with a zone. */
export function isXsdDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function isXsdDateTime(text: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(text);
  return !!m && isXsdDate(m[1]!);
}

export function invalid(path: string, why: string): Issue {
  return { code: 'CRADLE_INPUT_INVALID', expression: [path], diagnostics: `${path} ${why}` };
}

export function missing(path: string, why: string): Issue {
  return { code: 'CRADLE_INPUT_MISSING', expression: [path], diagnostics: `${path} ${why}` };
}
