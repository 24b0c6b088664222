import type { Issue } from '../../src/fhir/outcome.js';
import type { Identifier } from '../../src/fhir/types.js';
import { isValidNhsNumber } from '../../src/identity/nhs-number.js';
import { SYSTEM } from '../../src/fhir/canonical.js';

/** Gathers every problem with the input, each as FHIRPath into the Bundle (`Bundle.entry[2].resource.birthDate`). */
export class Problems {
  readonly issues: Issue[] = [];

  missing(path: string, why: string): void {
    this.issues.push({ code: 'CRADLE_INPUT_MISSING', expression: [path], diagnostics: `${path} ${why}` });
  }

  invalid(path: string, why: string): void {
    this.issues.push({ code: 'CRADLE_INPUT_INVALID', expression: [path], diagnostics: `${path} ${why}` });
  }

  inconsistent(path: string, why: string): void {
    this.issues.push({ code: 'CRADLE_INPUT_INCONSISTENT', expression: [path], diagnostics: `${path} ${why}` });
  }

  /** The NHS number among identifiers, when it passes Modulus 11; a failing one is reported and left out. */
  nhsNumber(ids: readonly Identifier[] | undefined, path: string): string | undefined {
    const i = (ids ?? []).findIndex((x) => x.system === SYSTEM.nhsNumber && x.value);
    if (i < 0) return undefined;
    const value = ids![i]!.value!;
    if (isValidNhsNumber(value)) return value;
    this.issues.push({ code: 'CRADLE_NHS_NUMBER_INVALID', expression: [`${path}.identifier[${i}].value`],
      diagnostics: `${path}.identifier[${i}].value is not a valid NHS number (10 digits, Modulus 11 check)` });
    return undefined;
  }
}
