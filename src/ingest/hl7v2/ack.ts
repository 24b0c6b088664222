import { ISSUE_CODES } from '../../fhir/issue-codes.js';
import type { Issue } from '../../fhir/outcome.js';
import { formatHl7DateTime } from './datetime.js';
import { parseEr7, type Er7Segment } from './er7.js';
import { DEFAULT_DELIMITERS, escapeEr7 } from './escape.js';
import { type Er7Location, parseLocation } from './location.js';

export type AckCode = 'AA' | 'AE' | 'AR';

/** What an ACK echoes from the message it answers (all optional: the message may be unreadable). */
export interface AckSubject {
  sendingApplication: string[];
  sendingFacility: string[];
  receivingApplication: string[];
  receivingFacility: string[];
  trigger: string;
  controlId: string;
  processingId: string;
  version: string;
}

/**
 * Reads what an ACK needs from a message's MSH without ever throwing: a message too
 * broken to parse still gets an AR that names its control id when it can be found.
 */
export function ackSubject(body: Buffer): AckSubject {
  let msh: Er7Segment | undefined;
  try {
    msh = parseEr7(body).msh;
  } catch {
    msh = undefined;
  }
  const hd = (n: number) => (msh ? [1, 2, 3].map((c) => msh!.get(n, c)) : []);
  return {
    sendingApplication: hd(3), sendingFacility: hd(4), receivingApplication: hd(5), receivingFacility: hd(6),
    trigger: msh?.get(9, 2) ?? '', controlId: msh?.get(10) ?? '', processingId: msh?.get(11) ?? '', version: msh?.get(12) ?? '',
  };
}

/**
 * The HL7 original-mode acknowledgement (HL7 v2.5 section 2.9.2): MSH with sender and
 * receiver swapped, MSA (code and the original MSH-10), and for AE/AR one ERR per
 * issue. For v2.5 and later, ERR-2 (location, ERL), ERR-3 (HL7 table 0357 code), ERR-4
 * (severity), ERR-5 (the Cradle issue code) and ERR-7 (diagnostics); before v2.5, the
 * ERR-1 (ELD) form those versions define, one repetition per issue. Segments end in
 * `\r` (HL7 v2.5 section 2.5.3).
 */
export function buildAck(subject: AckSubject, code: AckCode, issues: readonly Issue[], opts: { controlId: string; now: string }): string {
  const d = DEFAULT_DELIMITERS;
  const version = subject.version || '2.5';
  const trigger = subject.trigger ? `${d.component}${escapeEr7(subject.trigger)}` : '';
  const type = structureSupported(version) ? `ACK${trigger}${trigger ? `${d.component}ACK` : ''}` : `ACK${trigger}`;
  const msh = ['MSH', `${d.component}${d.repetition}${d.escape}${d.subcomponent}`,
    hd(subject.receivingApplication, 'CRADLE'), hd(subject.receivingFacility), hd(subject.sendingApplication), hd(subject.sendingFacility),
    formatHl7DateTime(opts.now), '', type, opts.controlId, subject.processingId || 'P', escapeEr7(version)].join(d.field);
  const text = code === 'AA' ? '' : escapeEr7(truncate(issues[0]?.diagnostics ?? ISSUE_CODES[issues[0]?.code ?? 'CRADLE_INTERNAL'].title, 80));
  const msa = ['MSA', code, escapeEr7(subject.controlId), text].join(d.field).replace(/\|+$/, '');
  const errs = code === 'AA' ? [] : errSegments(issues, version);
  return `${[msh, msa, ...errs].join('\r')}\r`;
}

/** AR when the message as a whole cannot be taken (its type, version, structure, size, or Cradle itself); AE for errors in its content. */
export function ackCodeFor(issues: readonly Issue[]): AckCode {
  if (issues.length === 0) return 'AA';
  const reject = issues.some((i) => i.code === 'CRADLE_MESSAGE_UNSUPPORTED' || i.code === 'CRADLE_PAYLOAD_TOO_LARGE'
    || i.code === 'CRADLE_PARSE_ERROR' || ISSUE_CODES[i.code].status >= 500);
  return reject ? 'AR' : 'AE';
}

/** HL7 table 0357 (message error condition codes) for a Cradle issue. */
export function hl7ErrorCode(issue: Issue): { code: string; text: string } {
  const where = issue.expression?.[0] ?? '';
  switch (issue.code) {
    case 'CRADLE_INPUT_MISSING': return { code: '101', text: 'Required field missing' };
    case 'CRADLE_INPUT_INVALID': case 'CRADLE_NHS_NUMBER_INVALID': case 'CRADLE_INPUT_INCONSISTENT':
      return { code: '102', text: 'Data type error' };
    case 'CRADLE_PARSE_ERROR': return /-\d/.test(where) ? { code: '102', text: 'Data type error' } : { code: '100', text: 'Segment sequence error' };
    case 'CRADLE_MESSAGE_UNSUPPORTED':
      if (where.startsWith('MSH-12')) return { code: '203', text: 'Unsupported version id' };
      if (where.startsWith('MSH-11')) return { code: '202', text: 'Unsupported processing id' };
      if (where === 'MSH-9.2') return { code: '201', text: 'Unsupported event code' };
      return { code: '200', text: 'Unsupported message type' };
    default: return { code: '207', text: 'Application internal error' };
  }
}

function errSegments(issues: readonly Issue[], version: string): string[] {
  const d = DEFAULT_DELIMITERS;
  const list = issues.length > 0 ? issues : [{ code: 'CRADLE_INTERNAL' as const }];
  if (!errorLocationSupported(version)) {
    // v2.1–2.4: ERR-1 (ELD) = segment ^ sequence ^ field ^ code&text&HL70357, repeating.
    const elds = list.map((i) => {
      const l = locationOf(i);
      const e = hl7ErrorCode(i);
      return [l?.segment ?? '', l?.occurrence ?? '', l?.field ?? '', [e.code, e.text, 'HL70357'].join(d.subcomponent)].join(d.component);
    });
    return [`ERR${d.field}${elds.join(d.repetition)}`];
  }
  return list.map((i) => {
    const l = locationOf(i);
    const e = hl7ErrorCode(i);
    const erl = l ? [l.segment, l.occurrence ?? 1, l.field ?? '', l.field ? (l.repetition ?? 1) : '', l.component ?? '', l.subcomponent ?? ''].join(d.component).replace(/\^+$/, '') : '';
    const appCode = [i.code, escapeEr7(ISSUE_CODES[i.code].title), '99CRD'].join(d.component);
    return ['ERR', '', erl, [e.code, e.text, 'HL70357'].join(d.component), 'E', appCode, '', escapeEr7(i.diagnostics ?? '')].join(d.field).replace(/\|+$/, '');
  });
}

function locationOf(issue: Issue): Er7Location | undefined {
  for (const e of issue.expression ?? []) {
    const l = parseLocation(e);
    if (l) return l;
  }
  return undefined;
}

/** MSH-9.3 (message structure) exists from v2.3.1. */
function structureSupported(version: string): boolean {
  return compareVersion(version, '2.3.1') >= 0;
}

/** ERR-2..ERR-12 replace ERR-1 from v2.5. */
function errorLocationSupported(version: string): boolean {
  return compareVersion(version, '2.5') >= 0;
}

export function compareVersion(a: string, b: string): number {
  const pa = a.split('.').map((n) => Number.parseInt(n, 10) || 0);
  const pb = b.split('.').map((n) => Number.parseInt(n, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function hd(components: string[], fallback = ''): string {
  const parts = components.map((c) => escapeEr7(c));
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.length > 0 ? parts.join(DEFAULT_DELIMITERS.component) : fallback;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
