import { SaxesParser } from 'saxes';
import { CradleError } from '../../src/fhir/outcome.js';

/** One element of a small XML document (a single CIN census child), with what XSD checks need. */
export interface XmlNode {
  name: string;
  children: XmlNode[];
  /** The element's own text (CDATA included), trimmed. For element-only content it should be empty. */
  text: string;
  /** Processing instructions at the top of the document (root node only), e.g. `cradle-cin-part`. */
  instructions?: Array<{ target: string; body: string }>;
}

/**
 * A streaming XML reader over saxes that never builds a DOM of the whole document: the
 * caller gets element events and decides what to keep. Not-well-formed XML and DOCTYPE
 * declarations (never part of a CIN census file; refused so no entity can be declared)
 * throw CRADLE_PARSE_ERROR with the line and column, never the text.
 */
export function saxReader(): SaxesParser<{ position: true }> {
  const parser = new SaxesParser({ position: true });
  parser.on('doctype', () => {
    throw parseError('a DOCTYPE declaration is not allowed', parser.line, parser.column);
  });
  parser.on('error', (err) => {
    // saxes messages read "line:column: message"; keep only saxes's own words.
    const message = err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    throw parseError(message, parser.line, parser.column);
  });
  return parser;
}

export function parseError(message: string, line: number, column: number): CradleError {
  return new CradleError('CRADLE_PARSE_ERROR', { expression: ['/'], diagnostics: `Body is not well-formed XML at line ${line}, column ${column + 1}: ${message}` });
}

/** Parses a small document into a tree. Use only on bounded input (one child of a return). */
export function parseXmlTree(xml: string): XmlNode {
  const parser = saxReader();
  const stack: XmlNode[] = [];
  const instructions: Array<{ target: string; body: string }> = [];
  let root: XmlNode | undefined;
  parser.on('processinginstruction', (pi) => {
    if (stack.length === 0) instructions.push(pi);
  });
  parser.on('opentag', (tag) => {
    const node: XmlNode = { name: tag.name, children: [], text: '' };
    stack.at(-1)?.children.push(node);
    stack.push(node);
    root ??= node;
  });
  parser.on('closetag', () => {
    const node = stack.pop()!;
    node.text = node.text.trim();
  });
  const onText = (text: string) => {
    const node = stack.at(-1);
    if (node) node.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.write(xml).close();
  if (!root) throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['/'], diagnostics: 'Body has no XML root element' });
  return { ...root, instructions };
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttribute(text: string): string {
  return escapeXml(text).replace(/"/g, '&quot;');
}
