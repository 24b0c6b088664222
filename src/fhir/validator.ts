import { Ajv, type ValidateFunction } from './ajv.js';
import { ajvIssues } from './ajv-issues.js';
import { checkBaseRules, requiredPropertyNames } from './base-rules.js';
import type { Issue } from './outcome.js';
import { checkProfiles } from './profile-check.js';
import { draft06MetaSchema, preparedR4Schema } from './r4-schema.js';
import { compileFastPathWithBaseRules, type FastVerdict } from './schema-fast-path.js';
import type { AnyResource } from './types.js';

interface R4Validator {
  fast: (data: unknown) => FastVerdict;
  ajv: ValidateFunction;
}

let compiled: R4Validator | undefined;

/**
 * The R4 schema validator, compiled on first use (≈1.5–2 s) and shared by the process:
 * ajv, with `allErrors` to gather every problem in the one matching resource definition,
 * behind a fast path compiled from the same schema that clears valid resources without it.
 */
function r4Validator(): R4Validator {
  if (!compiled) {
    const ajv = new Ajv({ discriminator: true, allErrors: true, strict: false, allowUnionTypes: true, validateFormats: false });
    ajv.addMetaSchema(draft06MetaSchema());
    const schema = preparedR4Schema();
    compiled = { fast: compileFastPathWithBaseRules(schema, requiredPropertyNames), ajv: ajv.compile(schema) };
  }
  return compiled;
}

/** Compiles the schema now (start-up) rather than on the first message. */
export function warmValidator(): void {
  r4Validator();
}

/**
 * Validates one resource against the official R4 JSON schema, the base rules the schema
 * cannot express (required primitives, extension urls, no empty values), and Cradle's
 * profiles. Returns every issue, each with a FHIRPath-style expression (`Patient.name[0].given`).
 * A resource that fails the schema gets only the schema's issues: the later checks assume its shape.
 */
export function validateResource(resource: unknown): Issue[] {
  const { fast, ajv } = r4Validator();
  const verdict = fast(resource);
  // Clean: the schema and the base rules hold (the fast path made checkBaseRules' walk already).
  if (verdict === 'clean') return checkProfiles(resource as AnyResource);
  // The fast path never passes what ajv would fail; whatever it cannot clear, ajv judges and explains.
  if (verdict === 'unsure' && !ajv(resource)) {
    const type = typeof (resource as { resourceType?: unknown })?.resourceType === 'string'
      ? (resource as { resourceType: string }).resourceType : 'Resource';
    return ajvIssues(ajv.errors, (p) => pointerToFhirPath(p, type), 'CRADLE_FHIR_INVALID', 'CRADLE_FHIR_INVALID');
  }
  return [...checkBaseRules(resource as AnyResource), ...checkProfiles(resource as AnyResource)];
}

/** Validates every resource; expressions are prefixed with the resource's `Type/id`. */
export function validateResources(resources: readonly AnyResource[]): Issue[] {
  const issues: Issue[] = [];
  // A loop, not flatMap: most resources have no issue, and this runs on every one stored.
  for (const r of resources) {
    for (const i of validateResource(r)) {
      issues.push({ ...i, diagnostics: `${r.resourceType}/${r.id ?? '?'}: ${i.diagnostics ?? ''}`.trim() });
    }
  }
  return issues;
}

function pointerToFhirPath(pointer: string, type: string): string {
  let path = type;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^\d+$/.test(seg) ? `[${seg}]` : `.${seg}`;
  }
  return path;
}
