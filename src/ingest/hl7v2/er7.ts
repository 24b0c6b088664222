import { CradleError } from '../../fhir/outcome.js';
import { type Er7Delimiters, unescapeEr7 } from './escape.js';
import { type Er7Location, formatLocation } from './location.js';
import { countParts, nthPart, partEnds } from './parts.js';
import { decodeEr7Bytes } from './text.js';

/** The media type of HL7 v2 ER7 text (the HL7 v2 over HTTP convention). */
export const ER7_MEDIA_TYPE = 'x-application/hl7-v2+er7';

interface Context {
  readonly delimiters: Er7Delimiters;
  readonly charset: BufferEncoding;
  /** The context of a component read as a value of its own (see `Er7Value.component`), made on first use. */
  nested: Context | undefined;
}

/**
 * One repetition of a field: components and subcomponents, decoded on read. Reading past
 * what was sent gives '' (HL7: an absent trailing component is empty). The HL7 explicit
 * null `""` also reads as '' — Cradle treats "delete this value" and "no value" alike,
 * because each message is applied as a snapshot of what it is about.
 */
export class Er7Value {
  constructor(readonly raw: string, private readonly ctx: Context, readonly location: Er7Location) {}

  get isEmpty(): boolean {
    return this.raw === '' || this.raw === '""';
  }

  /** Decoded text of component `i` (its first subcomponent), trimmed. */
  comp(i: number): string {
    return this.sub(i, 1);
  }

  /** Decoded, trimmed text of subcomponent `j` of component `i`. */
  sub(i: number, j: number): string {
    const d = this.ctx.delimiters;
    const value = nthPart(nthPart(this.raw, d.component, i), d.subcomponent, j);
    return value === '""' ? '' : unescapeEr7(value, d, this.ctx.charset).trim();
  }

  /** Component `i` as a value of its own (its subcomponents become components), for nested data types like XPN-1 (FN). */
  component(i: number): Er7Value {
    const ctx = this.ctx;
    const raw = nthPart(this.raw, ctx.delimiters.component, i);
    ctx.nested ??= { delimiters: { ...ctx.delimiters, component: ctx.delimiters.subcomponent }, charset: ctx.charset, nested: undefined };
    const l = this.location;
    // Written out rather than spread (`{ ...l, component: i }`): the same object, but a spread
    // that adds a property costs about a microsecond in V8. A location has only these keys.
    return new Er7Value(raw, ctx.nested, { segment: l.segment, occurrence: l.occurrence, field: l.field, repetition: l.repetition, component: i });
  }

  get componentCount(): number {
    return this.raw === '' ? 0 : countParts(this.raw, this.ctx.delimiters.component);
  }

  /** The whole value as text: the first component (how a receiver reads a primitive field). */
  get text(): string {
    return this.comp(1);
  }

  /** Where this value (or a component of it) is, as an OperationOutcome expression; written out, not spread, as in `component`. */
  at(component?: number, subcomponent?: number): string {
    const l = this.location;
    if (component === undefined && subcomponent === undefined) return formatLocation(l);
    return formatLocation({ segment: l.segment, occurrence: l.occurrence, field: l.field, repetition: l.repetition, component: component ?? l.component, subcomponent: subcomponent ?? l.subcomponent });
  }
}

/** One segment: fields by HL7 number (for MSH, MSH-1 is the field separator itself). */
export class Er7Segment {
  /**
   * Repetitions by field number, made on first read: readers come back to a field
   * (`get(n, 1)`, `get(n, 2)`…). Shared by every reader, which is safe as nothing in a
   * value changes once parsed.
   */
  private readonly reps: Array<readonly Er7Value[] | undefined> = [];
  private readonly empties: Array<Er7Value | undefined> = [];
  /**
   * Where each part of `line.split(field separator)` ends, found on first read. Fields are
   * cut from the line only when read: a reader takes a few fields of each segment, and
   * making a string of every field was much of the parse time.
   */
  private ends: number[] | undefined;

  constructor(readonly name: string, readonly occurrence: number, private readonly line: string, private readonly ctx: Context) {}

  /** Raw text of field `n` ('' when not sent). */
  raw(n: number): string {
    if (this.name !== 'MSH') return this.part(n);
    // MSH-1 is the separator itself and MSH-2 the encoding characters as read, so MSH-n is part n - 1 of the line.
    if (n === 1) return this.ctx.delimiters.field;
    if (n === 2) return rawEncodingCharacters(this.ctx.delimiters);
    return n === 0 ? 'MSH' : this.part(n - 1);
  }

  /** Every repetition of field `n` (none when empty). MSH-2 is never split or decoded. */
  repetitions(n: number): readonly Er7Value[] {
    return (this.reps[n] ??= this.split(n));
  }

  /** The first repetition of field `n` (an empty value when not sent). */
  field(n: number): Er7Value {
    return this.repetitions(n)[0] ?? (this.empties[n] ??= this.value('', n, 1));
  }

  /** Shorthand for `field(n).comp(component)`. */
  get(n: number, component = 1, subcomponent = 1): string {
    return this.field(n).sub(component, subcomponent);
  }

  get fieldCount(): number {
    const parts = this.partEnds().length;
    return this.name === 'MSH' ? parts : parts - 1;
  }

  at(field?: number): string {
    return formatLocation({ segment: this.name, occurrence: this.occurrence, field });
  }

  /** `line.split(field separator)[k] ?? ''`. */
  private part(k: number): string {
    const ends = this.partEnds();
    if (!Number.isInteger(k) || k < 0 || k >= ends.length) return '';
    const start = k === 0 ? 0 : ends[k - 1]! + this.ctx.delimiters.field.length;
    return this.line.slice(start, ends[k]);
  }

  private partEnds(): number[] {
    return (this.ends ??= partEnds(this.line, this.ctx.delimiters.field));
  }

  private split(n: number): readonly Er7Value[] {
    const raw = this.raw(n);
    if (raw === '' || raw === '""') return [];
    const separator = this.ctx.delimiters.repetition;
    if ((this.name === 'MSH' && n <= 2) || !raw.includes(separator)) return [this.value(raw, n, 1)];
    return raw.split(separator).map((r, i) => this.value(r, n, i + 1));
  }

  private value(raw: string, field: number, repetition: number): Er7Value {
    return new Er7Value(raw, this.ctx, { segment: this.name, occurrence: this.occurrence, field, repetition });
  }
}

/** A parsed ER7 message. */
export class Er7Message {
  constructor(readonly segments: readonly Er7Segment[], readonly delimiters: Er7Delimiters, readonly charset: BufferEncoding) {}

  get msh(): Er7Segment {
    return this.segments[0]!;
  }

  segment(name: string, occurrence = 1): Er7Segment | undefined {
    return this.segments.find((s) => s.name === name && s.occurrence === occurrence);
  }

  all(name: string): Er7Segment[] {
    return this.segments.filter((s) => s.name === name);
  }
}

/**
 * Parses one ER7 message (HL7 v2.5 chapter 2.5–2.7). Tolerates what real senders do:
 * a UTF-8 BOM; `\r`, `\n` or `\r\n` between segments; blank lines; a doubled escape
 * character in MSH-2 (`^~\\&`, from text copied out of a string literal); a literal
 * `\r` left at the end of each segment by the same mistake; a line that is not a
 * segment (a raw line break inside free text), which is joined back to the segment
 * before it. Throws CRADLE_PARSE_ERROR, pointing at MSH-1/MSH-2, for anything that is
 * not one ER7 message.
 */
export function parseEr7(body: Buffer | string): Er7Message {
  const { text, charset } = typeof body === 'string' ? { text: body.replace(/^\uFEFF/, ''), charset: 'utf8' as const } : decodeEr7Bytes(body);
  const start = text.search(/\S/);
  const content = start > 0 ? text.slice(start) : text;
  if (!content.startsWith('MSH') || content.length < 8) {
    throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['MSH'], diagnostics: content.trim() === '' ? 'empty message' : 'an HL7 v2 message starts with an MSH segment' });
  }
  const delimiters = readDelimiters(content);
  const ctx: Context = { delimiters, charset, nested: undefined };
  const lines = joinContinuations(splitLines(content).map((l) => stripLiteralLineEnd(l, delimiters.escape)), delimiters.field);
  const counts = new Map<string, number>();
  const segments = lines.map((line) => {
    const name = line.slice(0, 3);
    const occurrence = (counts.get(name) ?? 0) + 1;
    counts.set(name, occurrence);
    return new Er7Segment(name, occurrence, line, ctx);
  });
  if ((counts.get('MSH') ?? 0) > 1) {
    throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['MSH[2]'], diagnostics: 'more than one message in the body: send a batch to a source that splits it' });
  }
  return new Er7Message(segments, delimiters, charset);
}

function readDelimiters(text: string): Er7Delimiters {
  const field = text[3]!;
  if (/[A-Za-z0-9\s]/.test(field)) {
    throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['MSH-1'], diagnostics: 'MSH-1 must be the field separator (usually |)' });
  }
  const end = text.indexOf(field, 4);
  let chars = text.slice(4, end < 0 ? text.search(/[\r\n]|$/) : end);
  // `^~\\&`: the escape character doubled by a string literal.
  if (chars.length === 5 && chars[2] === chars[3]) chars = chars.slice(0, 3) + chars.slice(4);
  // What nearly every sender uses, and what the checks below would accept and return.
  if (field === '|' && chars === '^~\\&') return { field, component: '^', repetition: '~', escape: '\\', subcomponent: '&' };
  const [component = '^', repetition = '~', escape = '\\', subcomponent = '&', truncation] = [...chars];
  const all = [field, component, repetition, escape, subcomponent, ...(truncation ? [truncation] : [])];
  if (chars.length < 2 || chars.length > 5 || new Set(all).size !== all.length || all.some((c) => /[A-Za-z0-9\s]/.test(c))) {
    throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['MSH-2'], diagnostics: 'MSH-2 must hold distinct encoding characters (usually ^~\\&)' });
  }
  return { field, component, repetition, escape, subcomponent, ...(truncation ? { truncation } : {}) };
}

/** `text.split(/\r\n|\r|\n/)`, by indexOf: a regex split was a measurable part of parsing a short message. */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  let cr = text.indexOf('\r');
  let lf = text.indexOf('\n');
  while (cr >= 0 || lf >= 0) {
    // The earlier of the two ends this line; CR LF together end it once.
    const atCr = cr >= 0 && (lf < 0 || cr < lf);
    const end = atCr ? cr : lf;
    lines.push(text.slice(start, end));
    start = atCr && lf === cr + 1 ? cr + 2 : end + 1;
    if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
    if (lf >= 0 && lf < start) lf = text.indexOf('\n', start);
  }
  lines.push(text.slice(start));
  return lines;
}

function rawEncodingCharacters(d: Er7Delimiters): string {
  return `${d.component}${d.repetition}${d.escape}${d.subcomponent}${d.truncation ?? ''}`;
}

/** An escape character followed by `r` or `n` at the very end of a segment can only be a literal "\r" left by a string literal. */
function stripLiteralLineEnd(line: string, escape: string): string {
  let out = line;
  while (out.length >= 2 && out[out.length - 2] === escape && (out.endsWith('r') || out.endsWith('n')) && !isClosedEscape(out)) {
    out = out.slice(0, -2);
  }
  return out;
}

/** True when that escape character closes an open sequence (`…\H\r`: the `r` is then a plain letter after `\H\`). */
function isClosedEscape(line: string): boolean {
  const escape = line[line.length - 2]!;
  // Count escape characters before the final one: an odd number means it closes an open sequence.
  const before = line.slice(0, -2).split(escape).length - 1;
  return before % 2 === 1;
}

const SEGMENT_ID = /^[A-Z][A-Z0-9]{2}$/;

function joinContinuations(lines: string[], field: string): string[] {
  const out: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const id = line.slice(0, 3);
    const isSegment = SEGMENT_ID.test(id) && (line.length === 3 || line[3] === field);
    if (isSegment || out.length === 0) out.push(line);
    else out[out.length - 1] += `\n${line}`;
  }
  return out;
}
