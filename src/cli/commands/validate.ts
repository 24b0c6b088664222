import { readFileSync } from 'node:fs';
import { allSources } from '../../../mappings/index.js';
import { CradleError, toOutcome, type Issue } from '../../fhir/outcome.js';
import type { AnyResource } from '../../fhir/types.js';
import { validateResource, validateResources } from '../../fhir/validator.js';
import { parseJson } from '../../ingest/json-contract.js';
import { bundleResources } from '../../mapping/bundle.js';
import { parse, UsageError } from '../args.js';

/**
 * `cradle validate [--source S] FILE`: with --source, checks a source message against its
 * contract and validates the FHIR it maps to; without, validates a FHIR resource or Bundle
 * against the R4 schema and Cradle's profiles. Prints an OperationOutcome; exit 1 if invalid.
 */
export async function validate(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { source: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('give exactly one FILE');
  const body = readFileSync(positionals[0]!);
  const issues = values.source ? validateSourceMessage(String(values.source), body) : validateFhir(body);
  const outcome = issues.length ? toOutcome(issues) : { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational', diagnostics: 'valid' }] };
  process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
  return issues.length ? 1 : 0;
}

function validateSourceMessage(source: string, body: Buffer): Issue[] {
  const adapter = allSources().get(source);
  if (!adapter) throw new UsageError(`--source must be one of: ${[...allSources().keys()].join(', ')}`);
  try {
    const record = adapter.parse(body, adapter.mediaTypes[0]!);
    const bundle = adapter.map(record, { messageId: '00000000-0000-4000-8000-000000000000', receivedAt: new Date().toISOString(), source });
    return validateResources(bundleResources(bundle));
  } catch (err) {
    if (err instanceof CradleError) return [...err.issues];
    throw err;
  }
}

function validateFhir(body: Buffer): Issue[] {
  try {
    const resource = parseJson(body) as AnyResource;
    if (resource.resourceType === 'Bundle') return [...validateResource(resource), ...validateResources(bundleResources(resource))];
    return validateResource(resource);
  } catch (err) {
    if (err instanceof CradleError) return [...err.issues];
    throw err;
  }
}
