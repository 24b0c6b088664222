import { generateFastPath, type FastPathSource, type RequiredElements } from './fast-path-codegen.js';

export type { RequiredElements } from './fast-path-codegen.js';

/** True when a value certainly conforms; false when it may not (ajv then decides and explains). */
export type FastCheck = (data: unknown) => boolean;

/**
 * The fast path's answer with the base rules folded in:
 * - 'clean': ajv would accept, and checkBaseRules would find nothing;
 * - 'valid': ajv would accept, but checkBaseRules must run (it may find something);
 * - 'unsure': ajv decides, and explains.
 */
export type FastVerdict = 'clean' | 'valid' | 'unsure';

/**
 * Compiles the fast path in front of ajv for a schema written in the small subset of JSON
 * Schema the official R4 schema uses ($ref to #/definitions, type, properties with
 * additionalProperties false, required, items, pattern, enum, const, and ajv's
 * discriminator over oneOf).
 *
 * Why: ajv's code for a FHIR resource tests every property the definition declares
 * (Observation: 57, each with its `_` twin) on every value, and a definition that large
 * compiles to functions V8 runs slowly; mapped resources carry ten or so properties. The
 * fast path walks the properties the value has instead. It is generated JavaScript (see
 * fast-path-codegen.ts) — one function per definition, a switch on property names,
 * primitives inlined, the common patterns hand-written (pattern-checks.ts) — because the
 * closure interpreter it replaced spent its time on Map lookups and closure calls. It only
 * ever answers "valid" when ajv would: any keyword or shape it does not implement makes it
 * answer "not sure", and a false answer sends the value to ajv, which gives the verdict and
 * every issue. So the validator's results are ajv's, only faster to reach for the valid majority.
 *
 * Values are treated as JSON: own enumerable properties of plain objects, array items by
 * index (any other prototype is "not sure").
 */
export function compileFastPath(root: Record<string, unknown>): FastCheck {
  return instantiate(generateFastPath(root)) as FastCheck;
}

/**
 * The fast path that also tells whether checkBaseRules (base-rules.ts) would find anything,
 * given its table of required elements: the walk it makes is the one checkBaseRules would
 * repeat, so a clean resource skips that second walk.
 */
export function compileFastPathWithBaseRules(root: Record<string, unknown>, required: RequiredElements): (data: unknown) => FastVerdict {
  return instantiate(generateFastPath(root, required)) as (data: unknown) => FastVerdict;
}

function instantiate({ body, constants }: FastPathSource): unknown {
  // Compiled once per process. The source comes from the schema only — names as JSON string
  // literals, patterns and sets passed in as values — never from the data it checks.
  return new Function('constants', body)(constants) as unknown;
}
