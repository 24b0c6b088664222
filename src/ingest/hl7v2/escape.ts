/**
 * The delimiters of one ER7 message, from MSH-1 and MSH-2 (HL7 v2.5 section 2.5.4).
 * `truncation` is v2.7's fifth encoding character; older messages have none.
 */
export interface Er7Delimiters {
  readonly field: string;
  readonly component: string;
  readonly repetition: string;
  readonly escape: string;
  readonly subcomponent: string;
  readonly truncation?: string;
}

export const DEFAULT_DELIMITERS: Er7Delimiters = { field: '|', component: '^', repetition: '~', escape: '\\', subcomponent: '&' };

/**
 * Decodes HL7 escape sequences in one primitive value (HL7 v2.5 section 2.7):
 * \F\ \S\ \T\ \R\ \E\ for the delimiters, \Xhh…\ for hexadecimal data (read in the
 * message's character set), and the formatting commands of FT text (\.br\ and \.sp\
 * become line breaks; highlighting \H\ \N\, character-set switches \C…\ \M…\ and local
 * \Z…\ sequences carry no text and are dropped). An escape character with no closing
 * one is kept literally: senders that never escape a backslash are common, and losing
 * their text would be worse than keeping it.
 */
export function unescapeEr7(raw: string, d: Er7Delimiters, charset: BufferEncoding = 'utf8'): string {
  if (!raw.includes(d.escape)) return raw;
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const ch = raw[i]!;
    if (ch !== d.escape) {
      out += ch;
      i++;
      continue;
    }
    const end = raw.indexOf(d.escape, i + 1);
    if (end < 0) {
      out += raw.slice(i);
      break;
    }
    const decoded = decodeSequence(raw.slice(i + 1, end), d, charset);
    if (decoded === undefined) {
      // Not an escape sequence after all: keep the escape character, read on after it.
      out += ch;
      i++;
      continue;
    }
    out += decoded;
    i = end + 1;
  }
  return out;
}

function decodeSequence(body: string, d: Er7Delimiters, charset: BufferEncoding): string | undefined {
  switch (body) {
    case 'F': return d.field;
    case 'S': return d.component;
    case 'T': return d.subcomponent;
    case 'R': return d.repetition;
    case 'E': return d.escape;
    case 'P': return d.truncation ?? undefined;
    case 'H': case 'N': return '';
    case '.br': case '.sp': return '\n';
    default: break;
  }
  if (/^X([0-9A-Fa-f]{2})+$/.test(body)) return Buffer.from(body.slice(1), 'hex').toString(charset);
  if (/^\.(sp|in|ti|sk)[+-]?\d*$/.test(body)) return body.startsWith('.sp') ? '\n' : '';
  if (/^\.(fi|nf|ce)$/.test(body)) return '';
  if (/^[CM][0-9A-Fa-f]{4,6}$/.test(body) || /^Z[^\s]*$/.test(body)) return '';
  return undefined;
}

/** Encodes text for an ER7 field: every delimiter becomes its escape sequence (the inverse of {@link unescapeEr7}). */
export function escapeEr7(text: string, d: Er7Delimiters = DEFAULT_DELIMITERS): string {
  let out = '';
  for (const ch of text) {
    if (ch === d.escape) out += `${d.escape}E${d.escape}`;
    else if (ch === d.field) out += `${d.escape}F${d.escape}`;
    else if (ch === d.component) out += `${d.escape}S${d.escape}`;
    else if (ch === d.subcomponent) out += `${d.escape}T${d.escape}`;
    else if (ch === d.repetition) out += `${d.escape}R${d.escape}`;
    else if (ch === '\r' || ch === '\n') out += `${d.escape}.br${d.escape}`;
    else out += ch;
  }
  return out;
}
