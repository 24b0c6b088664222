import { CradleError } from '../../fhir/outcome.js';
import { type Er7Delimiters, unescapeEr7 } from './escape.js';
import { type Er7Location, formatLocation } from './location.js';
import { decodeEr7Bytes } from './text.js';

/** The media type of HL7 v2 ER7 text (the HL7 v2 over HTTP convention). */
export const ER7_MEDIA_TYPE = 'x-application/hl7-v2+er7';

interface Context {
  readonly delimiters: Er7Delimiters;
  readonly charset: BufferEncoding;
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
    const component = this.raw.split(this.ctx.delimiters.component)[i - 1] ?? '';
    const value = component.split(this.ctx.delimiters.subcomponent)[j - 1] ?? '';
    return value === '""' ? '' : unescapeEr7(value, this.ctx.delimiters, this.ctx.charset).trim();
  }

  /** Component `i` as a value of its own (its subcomponents become components), for nested data types like XPN-1 (FN). */
  component(i: number): Er7Value {
    const raw = this.raw.split(this.ctx.delimiters.component)[i - 1] ?? '';
    const ctx = { ...this.ctx, delimiters: { ...this.ctx.delimiters, component: this.ctx.delimiters.subcomponent } };
    return new Er7Value(raw, ctx, { ...this.location, component: i });
  }

  get componentCount(): number {
    return this.raw === '' ? 0 : this.raw.split(this.ctx.delimiters.component).length;
  }

  /** The whole value as text: the first component (how a receiver reads a primitive field). */
  get text(): string {
    return this.comp(1);
  }

  at(component?: number, subcomponent?: number): string {
    return formatLocation({ ...this.location, ...(component !== undefined ? { component } : {}), ...(subcomponent !== undefined ? { subcomponent } : {}) });
  }
}

/** One segment: fields by HL7 number (for MSH, MSH-1 is the field separator itself). */
export class Er7Segment {
  constructor(readonly name: string, readonly occurrence: number, private readonly fields: readonly string[], private readonly ctx: Context) {}

  /** Raw text of field `n` ('' when not sent). */
  raw(n: number): string {
    if (this.name === 'MSH' && n === 1) return this.ctx.delimiters.field;
    return this.fields[n] ?? '';
  }

  /** Every repetition of field `n` (none when empty). MSH-2 is never split or decoded. */
  repetitions(n: number): Er7Value[] {
    const raw = this.raw(n);
    if (raw === '' || raw === '""') return [];
    const reps = this.name === 'MSH' && n <= 2 ? [raw] : raw.split(this.ctx.delimiters.repetition);
    return reps.map((r, i) => new Er7Value(r, this.ctx, { segment: this.name, occurrence: this.occurrence, field: n, repetition: i + 1 }));
  }

  /** The first repetition of field `n` (an empty value when not sent). */
  field(n: number): Er7Value {
    return this.repetitions(n)[0] ?? new Er7Value('', this.ctx, { segment: this.name, occurrence: this.occurrence, field: n, repetition: 1 });
  }

  /** Shorthand for `field(n).comp(component)`. */
  get(n: number, component = 1, subcomponent = 1): string {
    return this.field(n).sub(component, subcomponent);
  }

  get fieldCount(): number {
    return this.fields.length - 1;
  }

  at(field?: number): string {
    return formatLocation({ segment: this.name, occurrence: this.occurrence, ...(field !== undefined ? { field } : {}) });
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
  const ctx: Context = { delimiters, charset };
  const lines = joinContinuations(content.split(/\r\n|\r|\n/).map((l) => stripLiteralLineEnd(l, delimiters.escape)), delimiters.field);
  const counts = new Map<string, number>();
  const segments = lines.map((line) => {
    const name = line.slice(0, 3);
    const occurrence = (counts.get(name) ?? 0) + 1;
    counts.set(name, occurrence);
    const parts = line.split(delimiters.field);
    // MSH-1 is the separator itself, so MSH's parts start at MSH-2; others' at field 1.
    const fields = name === 'MSH' ? ['MSH', delimiters.field, ...parts.slice(1)] : parts;
    if (name === 'MSH') fields[2] = rawEncodingCharacters(delimiters);
    return new Er7Segment(name, occurrence, fields, ctx);
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
  const [component = '^', repetition = '~', escape = '\\', subcomponent = '&', truncation] = [...chars];
  const all = [field, component, repetition, escape, subcomponent, ...(truncation ? [truncation] : [])];
  if (chars.length < 2 || chars.length > 5 || new Set(all).size !== all.length || all.some((c) => /[A-Za-z0-9\s]/.test(c))) {
    throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['MSH-2'], diagnostics: 'MSH-2 must hold distinct encoding characters (usually ^~\\&)' });
  }
  return { field, component, repetition, escape, subcomponent, ...(truncation ? { truncation } : {}) };
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
