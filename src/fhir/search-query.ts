import { CradleError } from './outcome.js';
import { searchParam, SEARCH_PARAMS, type SearchParamDef } from './search-params.js';

export type Criterion =
  | { kind: 'id'; ids: string[] }
  | { kind: 'token'; param: string; values: Array<{ system?: string; code?: string }> }
  | { kind: 'reference'; param: string; targets: string[] }
  | { kind: 'chain'; param: string; targetType: string; target: Extract<Criterion, { kind: 'token' }> };

export interface SearchQuery {
  type: string;
  criteria: Criterion[];
  count: number;
  offset: number;
  sort: 'asc' | 'desc';
  /** `_include=Flag:patient` → [{ from: 'Flag', param: 'patient' }]. */
  include: Array<{ param: string; targetType: string }>;
}

const MAX_COUNT = 500;

/**
 * Parses a FHIR search query string into criteria, refusing what Cradle does not support
 * (a clear 400 beats silently ignoring a filter on a safeguarding search). Repeated
 * parameters AND; comma-separated values OR (FHIR R4 3.1.1.4).
 */
export function parseSearch(type: string, params: URLSearchParams): SearchQuery {
  if (!SEARCH_PARAMS[type]) throw new CradleError('CRADLE_SEARCH_UNSUPPORTED', { diagnostics: `searching ${type} is not supported` });
  const query: SearchQuery = { type, criteria: [], count: 50, offset: 0, sort: 'desc', include: [] };
  for (const [name, raw] of params) {
    const value = raw.trim();
    // PostgreSQL text cannot hold NUL; an empty value filters on nothing — both are mistakes to report.
    if (value.includes('\u0000') || name.includes('\u0000')) throw invalid(name.replace(/\u0000/g, ''), 'contains a NUL character');
    if (value === '' && name !== '_format' && name !== '_total') throw invalid(name, 'needs a value');
    switch (name) {
      case '_count': query.count = boundedInt(name, value, 0, MAX_COUNT); break;
      case '_offset': query.offset = boundedInt(name, value, 0, 1_000_000); break;
      case '_sort':
        if (value !== '_lastUpdated' && value !== '-_lastUpdated') throw unsupported(name, 'only _lastUpdated and -_lastUpdated');
        query.sort = value.startsWith('-') ? 'desc' : 'asc';
        break;
      case '_include': query.include.push(parseInclude(type, value)); break;
      case '_id': {
        const ids = splitValues(value);
        if (ids.length === 0) throw invalid(name, 'needs at least one id');
        query.criteria.push({ kind: 'id', ids });
        break;
      }
      case '_format': case '_total': break;
      default: query.criteria.push(parseCriterion(type, name, value));
    }
  }
  return query;
}

function parseCriterion(type: string, name: string, value: string): Criterion {
  const [head, chained] = name.split('.', 2) as [string, string?];
  if (head.includes(':')) throw unsupported(name, 'modifiers are not supported');
  const def = searchParam(type, head);
  if (!def) throw unsupported(name, `${type} has no search parameter ${head}; see /fhir/metadata`);
  if (chained !== undefined) {
    if (def.type !== 'reference') throw unsupported(name, `${head} is not a reference parameter`);
    const targetType = def.target[0]!;
    const targetDef = searchParam(targetType, chained);
    if (!targetDef || targetDef.type !== 'token') throw unsupported(name, `cannot chain ${chained} on ${targetType}`);
    return { kind: 'chain', param: head, targetType, target: token(targetDef, value) };
  }
  return def.type === 'token' ? token(def, value) : reference(def, value);
}

function token(def: SearchParamDef, value: string): Extract<Criterion, { kind: 'token' }> {
  const values = splitValues(value).map((v): { system?: string; code?: string } => {
    const bar = v.indexOf('|');
    if (bar < 0) return { code: v };
    const system = v.slice(0, bar);
    const code = v.slice(bar + 1);
    return { system, ...(code ? { code } : {}) };
  });
  if (values.length === 0 || values.some((v) => !v.code && !v.system)) throw invalid(def.name, 'a token needs a code, system|code or system|');
  return { kind: 'token', param: def.name, values };
}

function reference(def: Extract<SearchParamDef, { type: 'reference' }>, value: string): Criterion {
  const targets = splitValues(value).map((v) => {
    const ref = v.replace(/^.*\/fhir\//, '');
    if (/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(ref)) return ref;
    if (/^[A-Za-z0-9\-.]{1,64}$/.test(ref) && def.target.length === 1 && def.target[0] !== 'Any') return `${def.target[0]}/${ref}`;
    throw invalid(def.name, 'a reference is Type/id (or id when the target type is unambiguous)');
  });
  if (targets.length === 0) throw invalid(def.name, 'a reference is Type/id (or id when the target type is unambiguous)');
  return { kind: 'reference', param: def.name, targets };
}

function parseInclude(type: string, value: string): { param: string; targetType: string } {
  const [from, param, target] = value.split(':');
  const def = from === type && param ? searchParam(type, param) : undefined;
  if (!def || def.type !== 'reference') throw unsupported('_include', `${value} is not a reference parameter of ${type}`);
  return { param: param!, targetType: target ?? def.target[0]! };
}

/** Commas separate values; `\,` is a literal comma (FHIR escaping). */
function splitValues(value: string): string[] {
  return value.split(/(?<!\\),/).map((v) => v.replace(/\\,/g, ',')).filter((v) => v.length > 0);
}

function boundedInt(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw invalid(name, `must be an integer ≥ ${min}`);
  return Math.min(n, max);
}

function unsupported(name: string, why: string): CradleError {
  return new CradleError('CRADLE_SEARCH_UNSUPPORTED', { expression: [name], diagnostics: `${name}: ${why}` });
}

function invalid(name: string, why: string): CradleError {
  return new CradleError('CRADLE_SEARCH_INVALID', { expression: [name], diagnostics: `${name}: ${why}` });
}
