import type { ErrorObject } from './ajv.js';
import type { Issue } from './outcome.js';

/** `/mother/birthDate` → `$.mother.birthDate`; `/babies/0/sex` → `$.babies[0].sex`. */
export function pointerToJsonPath(pointer: string, root = '$'): string {
  if (pointer === '') return root;
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, seg) => (/^\d+$/.test(seg) ? `${path}[${seg}]` : /^[A-Za-z_$][\w$-]*$/.test(seg) ? `${path}.${seg}` : `${path}[${JSON.stringify(seg)}]`), root);
}

/** `/entry/0/resource/name/0/given` on a Patient → `Patient.name[0].given` (FHIRPath). */
export function pointerToFhirPath(pointer: string, resourceType: string): string {
  return pointerToJsonPath(pointer, resourceType);
}

/**
 * Turns ajv errors into Cradle issues that point at the offending field. `required`
 * errors point at the missing property itself, not its parent. Errors from inside
 * `oneOf`/`anyOf` alternatives that lost are dropped in favour of the one summary.
 */
export function ajvIssues(
  errors: readonly ErrorObject[] | null | undefined,
  toPath: (pointer: string) => string = (p) => pointerToJsonPath(p),
  missingCode: Issue['code'] = 'CRADLE_INPUT_MISSING',
  invalidCode: Issue['code'] = 'CRADLE_INPUT_INVALID',
): Issue[] {
  const byPath = new Map<string, Issue & { parts: string[] }>();
  for (const e of errors ?? []) {
    let pointer = e.instancePath;
    let code = invalidCode;
    let diagnostics: string;
    switch (e.keyword) {
      case 'required':
        pointer = `${pointer}/${(e.params as { missingProperty: string }).missingProperty}`;
        code = missingCode;
        diagnostics = 'is required';
        break;
      case 'additionalProperties':
        pointer = `${pointer}/${(e.params as { additionalProperty: string }).additionalProperty}`;
        diagnostics = 'is not a known property here';
        break;
      case 'enum':
        diagnostics = `must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
        break;
      case 'const':
        diagnostics = `must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
        break;
      case 'format':
        if ((e.params as { format: string }).format === 'nhs-number') {
          code = 'CRADLE_NHS_NUMBER_INVALID';
          diagnostics = 'is not a valid NHS number (10 digits, Modulus 11 check)';
        } else {
          diagnostics = `must be a valid ${(e.params as { format: string }).format}`;
        }
        break;
      case 'pattern':
        diagnostics = 'has an invalid format';
        break;
      case 'discriminator':
        diagnostics = `unknown ${(e.params as { tag: string }).tag} ${JSON.stringify((e.params as { tagValue?: unknown }).tagValue)}`;
        break;
      default:
        diagnostics = e.message ?? e.keyword;
    }
    const path = toPath(pointer);
    // One issue per field: several keywords failing on one value (type and pattern) read as one problem.
    const existing = byPath.get(`${code}|${path}`);
    if (existing) {
      if (!existing.parts.includes(diagnostics)) existing.parts.push(diagnostics);
    } else {
      byPath.set(`${code}|${path}`, { code, expression: [path], parts: [diagnostics] });
    }
  }
  return [...byPath.values()].map(({ parts, ...issue }) => ({ ...issue, diagnostics: `${issue.expression![0]} ${parts.join('; ')}` }));
}
