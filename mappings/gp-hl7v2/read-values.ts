import type { IssueCode } from '../../src/fhir/issue-codes.js';
import { CradleError, type Issue } from '../../src/fhir/outcome.js';
import { parseHl7DateTime, type Hl7DateTime } from '../../src/ingest/hl7v2/datetime.js';
import type { Er7Value } from '../../src/ingest/hl7v2/er7.js';
import type { Coded } from './record.js';

/** Every problem found in one message, each pointing at its HL7 position; thrown together at the end. */
export class IssueList {
  readonly issues: Issue[] = [];

  add(code: IssueCode, at: string, diagnostics: string): void {
    this.issues.push({ code, expression: [at], diagnostics });
  }

  missing(at: string, what: string): void {
    this.add('CRADLE_INPUT_MISSING', at, `${at} (${what}) is required`);
  }

  invalid(at: string, what: string): void {
    this.add('CRADLE_INPUT_INVALID', at, `${at} ${what}`);
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw CradleError.of(this.issues);
  }
}

/** A CE/CWE/CNE value (identifier ^ text ^ coding system ^ alternate identifier ^ alternate text ^ alternate system). */
export function readCoded(v: Er7Value | undefined): Coded | undefined {
  if (!v || v.isEmpty) return undefined;
  const code = v.comp(1);
  const display = v.comp(2);
  const alt = v.comp(4);
  if (!code && !display && !alt) return undefined;
  // Elements assigned in the order the record has always had them, rather than spread
  // from `{ x }`/`{}` halves (read for every coded field: the copies added up). The cast:
  // `at` is assigned last.
  const coded = {} as Coded;
  if (code) coded.code = code;
  if (display) coded.display = display;
  const system = v.comp(3);
  if (system) coded.codingSystem = system;
  if (alt) {
    const alternate: NonNullable<Coded['alternate']> = { code: alt };
    const altDisplay = v.comp(5);
    if (altDisplay) alternate.display = altDisplay;
    const altSystem = v.comp(6);
    if (altSystem) alternate.codingSystem = altSystem;
    coded.alternate = alternate;
  }
  coded.at = v.at();
  return coded;
}

/** A DT/DTM component; reports an invalid one and returns undefined. */
export function readDateTime(v: Er7Value, component: number, issues: IssueList, what: string): Hl7DateTime | undefined {
  const raw = v.comp(component);
  if (!raw) return undefined;
  const parsed = parseHl7DateTime(raw);
  if (!parsed) issues.invalid(v.at(component), `(${what}) must be an HL7 date/time (YYYYMMDD[HHMM[SS]][+/-ZZZZ])`);
  return parsed;
}

/** A DT/DTM field's FHIR form, for optional fields. */
export function readFhirDateTime(v: Er7Value, issues: IssueList, what: string, component = 1): string | undefined {
  return readDateTime(v, component, issues, what)?.fhir;
}
