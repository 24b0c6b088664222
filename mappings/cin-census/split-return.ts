import { StringDecoder } from 'node:string_decoder';
import { CradleError } from '../../src/fhir/outcome.js';
import { escapeAttribute, escapeXml, saxReader } from './xml.js';

/** The processing instruction that tells a part which child of the return it was. */
export const PART_PI = 'cradle-cin-part';

export interface CinPart {
  /** 1-based position of the child in the return (expressions say `Child[index]`). */
  index: number;
  /** A whole CIN census Message: the return's Header and this one Child. */
  xml: string;
}

/**
 * Cuts a CIN census return into one Message per Child, streaming: it holds the Header and
 * the child being read, never the whole document, and hands each part to `onPart` as soon
 * as its closing tag is read. Each part repeats the Header (the LA, the collection year),
 * so it stands alone. Only the return's structure is checked here (well-formed XML, a
 * Message with a Header before its Children, at least one Child); each child's content is
 * checked when its part is parsed, so one bad child does not reject the others.
 */
export class CinReturnSplitter {
  private readonly parser = saxReader();
  private readonly decoder = new StringDecoder('utf8');
  private readonly path: string[] = [];
  private capture: string[] | undefined;
  private header = '';
  private children = 0;
  private sawChildren = false;
  private started = false;

  constructor(private readonly onPart: (part: CinPart) => void) {
    this.parser.on('opentag', (tag) => this.open(tag.name, tag.attributes as Record<string, string>, tag.isSelfClosing));
    this.parser.on('closetag', (tag) => this.close(tag.name, tag.isSelfClosing));
    this.parser.on('text', (text) => this.capture?.push(escapeXml(text)));
    this.parser.on('cdata', (text) => this.capture?.push(escapeXml(text)));
  }

  /** Feeds the next chunk of the body; multi-byte characters may straddle chunks. */
  write(chunk: Buffer | string): void {
    let text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    if (!this.started && text.length > 0) {
      this.started = true;
      text = text.replace(/^\uFEFF/, '');
    }
    this.parser.write(text);
  }

  /** Ends the input; returns the number of children. */
  end(): number {
    this.parser.write(this.decoder.end()).close();
    if (!this.sawChildren) throw structure('/Message/Children', 'The return has no Children element');
    if (this.children === 0) throw structure('/Message/Children/Child', 'The return has no Child');
    return this.children;
  }

  private open(name: string, attributes: Record<string, string>, selfClosing: boolean): void {
    this.path.push(name);
    const where = this.path.join('/');
    if (this.path.length === 1 && name !== 'Message') throw structure(`/${name}`, `The root element is ${name}, not Message`);
    if (where === 'Message/Header' && this.sawChildren) throw structure('/Message/Header', 'The Header must come before the Children');
    if (where === 'Message/Children') this.sawChildren = true;
    if (where === 'Message/Header' || where === 'Message/Children/Child') this.capture = [];
    const attrs = Object.entries(attributes).map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`).join('');
    this.capture?.push(`<${name}${attrs}${selfClosing ? '/' : ''}>`);
  }

  private close(name: string, selfClosing: boolean): void {
    if (!selfClosing) this.capture?.push(`</${name}>`);
    const where = this.path.join('/');
    this.path.pop();
    if (where === 'Message/Header') {
      this.header = this.capture!.join('');
      this.capture = undefined;
    } else if (where === 'Message/Children/Child') {
      const index = ++this.children;
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<?${PART_PI} child="${index}"?>\n<Message>${this.header}<Children>${this.capture!.join('')}</Children></Message>\n`;
      this.capture = undefined;
      this.onPart({ index, xml });
    }
  }
}

/** A whole return in memory → its parts (the HTTP path; the CLI streams from disk instead). */
export function splitReturn(body: Buffer): CinPart[] {
  const parts: CinPart[] = [];
  const splitter = new CinReturnSplitter((p) => parts.push(p));
  for (let offset = 0; offset < body.length; offset += CHUNK) splitter.write(body.subarray(offset, offset + CHUNK));
  splitter.end();
  return parts;
}

const CHUNK = 64 * 1024;

function structure(expression: string, diagnostics: string): CradleError {
  return new CradleError('CRADLE_INPUT_INVALID', { expression: [expression], diagnostics });
}
