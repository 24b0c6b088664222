import { type Ajv, createAjv, type ValidateFunction } from '../fhir/ajv.js';
import { ajvIssues } from '../fhir/ajv-issues.js';
import { CradleError } from '../fhir/outcome.js';
import { isValidNhsNumber } from '../identity/nhs-number.js';
import { readPackageJson } from '../util/package-root.js';

let shared: Ajv | undefined;

/** One ajv for input contracts: every error at once, with Cradle's formats. */
function contractAjv(): Ajv {
  if (!shared) {
    shared = createAjv({ allErrors: true });
    shared.addFormat('nhs-number', { type: 'string', validate: (v: string) => /^\d{10}$/.test(v) && isValidNhsNumber(v) });
  }
  return shared;
}

/**
 * A parser for a JSON source: bytes → JSON → checked against the contract schema.
 * Every contract problem is reported at once, each pointing at its field (`$.mother.birthDate`).
 *
 * @example const parse = jsonContract<MaternityRecord>('mappings/maternity/contract.schema.json')
 */
export function jsonContract<R>(schemaPath: string): (body: Buffer) => R {
  let validate: ValidateFunction | undefined;
  return function parseJsonContract(body: Buffer): R {
    const value = parseJson(body);
    const check = (validate ??= contractAjv().compile(readPackageJson<object>(schemaPath)));
    if (!check(value)) throw CradleError.of(ajvIssues(check.errors));
    return value as R;
  };
}

export function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8').replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (err) {
    // Keep only the position: V8's message can quote the body, which may identify a person.
    const position = /at position (\d+)/.exec((err as Error).message)?.[1];
    const where = position !== undefined ? ` (at byte ${position})` : text.trim() === '' ? ' (empty body)' : '';
    throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['$'], diagnostics: `Body is not valid JSON${where}` });
  }
}
