import { CradleError } from '../../fhir/outcome.js';
import { nthPart } from './parts.js';

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * ER7 bytes → text. MSH-18 (HL7 table 0211) names the character set: ISO 8859 sets are
 * read as Latin-1, everything else (ASCII, UNICODE, UNICODE UTF-8, or nothing) as UTF-8.
 * A UTF-8 byte-order mark is dropped. Bytes that are not valid UTF-8 in a message that
 * names no character set are read as Latin-1 — older UK systems send Windows-1252 text
 * (a "£" in an address) without saying so, and a readable message beats a rejected one.
 */
export function decodeEr7Bytes(body: Buffer): { text: string; charset: BufferEncoding } {
  if ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff)) {
    throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['MSH-18'], diagnostics: 'UTF-16 messages are not supported; send UTF-8 (MSH-18 UNICODE UTF-8)' });
  }
  const bytes = body.subarray(0, 3).equals(UTF8_BOM) ? body.subarray(3) : body;
  const declared = declaredCharset(bytes);
  if (declared === 'latin1') return { text: bytes.toString('latin1'), charset: 'latin1' };
  try {
    return { text: strictUtf8.decode(bytes), charset: 'utf8' };
  } catch {
    return { text: bytes.toString('latin1'), charset: 'latin1' };
  }
}

/** MSH-18 read from the raw bytes (the header is ASCII whatever the charset). */
function declaredCharset(bytes: Buffer): BufferEncoding | undefined {
  // Only the first line (within the first 4 KB) is decoded and only MSH-18 cut from it:
  // decoding 4 KB and splitting the line into every field was a good part of the parse.
  const firstLine = bytes.toString('latin1', 0, firstLineEnd(bytes, Math.min(bytes.length, 4096)));
  if (!firstLine.startsWith('MSH') || firstLine.length < 4) return undefined;
  // Part 1 is "MSH", part 2 is MSH-2, so MSH-18 is part 18.
  const charset = firstComponent(nthPart(firstLine, firstLine[3]!, 18)).trim().toUpperCase();
  return /^8859\//.test(charset) ? 'latin1' : undefined;
}

/** The offset of the first CR or LF before `limit`, else `limit`. */
function firstLineEnd(bytes: Buffer, limit: number): number {
  for (let i = 0; i < limit; i++) {
    const b = bytes[i];
    if (b === 0x0d || b === 0x0a) return i;
  }
  return limit;
}

/** `text.split(/[\^~]/)[0]`: up to the first ^ or ~ (MSH-18 may repeat, and a sender may add components). */
function firstComponent(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5e || c === 0x7e) return text.slice(0, i);
  }
  return text;
}
