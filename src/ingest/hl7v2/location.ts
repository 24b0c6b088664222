/**
 * A position inside an ER7 message, as HL7's ERL data type has it (ERR-2, HL7 v2.5
 * section 2.15.5.2): segment id, which occurrence of that segment, field, repetition,
 * component, subcomponent. Numbers are 1-based; undefined parts are "the whole thing".
 */
export interface Er7Location {
  segment: string;
  /** 1 for the first PID, 2 for a second NK1… */
  occurrence?: number;
  field?: number;
  repetition?: number;
  component?: number;
  subcomponent?: number;
}

/**
 * The location as Cradle writes it in an OperationOutcome `expression`:
 * `PID-7`, `PID-3.4`, `PID-3[2].1` (second repetition), `NK1[2]-2.1` (second NK1),
 * `PID-5.1.1` (subcomponent). First occurrences and repetitions are left implicit so
 * the common case reads as HL7 people write it.
 */
export function formatLocation(l: Er7Location): string {
  let out = l.segment;
  if (l.occurrence && l.occurrence > 1) out += `[${l.occurrence}]`;
  if (l.field === undefined) return out;
  out += `-${l.field}`;
  if (l.repetition && l.repetition > 1) out += `[${l.repetition}]`;
  if (l.component !== undefined) out += `.${l.component}`;
  if (l.subcomponent !== undefined) out += `.${l.subcomponent}`;
  return out;
}

/** Reads back an expression written by {@link formatLocation}; undefined for anything else. */
export function parseLocation(expression: string): Er7Location | undefined {
  const m = /^([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?(?:-(\d+)(?:\[(\d+)\])?(?:\.(\d+))?(?:\.(\d+))?)?$/.exec(expression);
  if (!m) return undefined;
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  return {
    segment: m[1]!,
    occurrence: num(m[2]) ?? 1,
    ...(m[3] !== undefined ? { field: Number(m[3]) } : {}),
    ...(m[3] !== undefined ? { repetition: num(m[4]) ?? 1 } : {}),
    ...(m[5] !== undefined ? { component: Number(m[5]) } : {}),
    ...(m[6] !== undefined ? { subcomponent: Number(m[6]) } : {}),
  };
}
