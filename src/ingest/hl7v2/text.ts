import { CradleError } from '../../fhir/outcome.js';

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
  const firstLine = bytes.subarray(0, Math.min(bytes.length, 4096)).toString('latin1').split(/[\r\n]/, 1)[0] ?? '';
  if (!firstLine.startsWith('MSH') || firstLine.length < 4) return undefined;
  const fields = firstLine.split(firstLine[3]!);
  // fields[0] is "MSH", fields[1] is MSH-2, so MSH-n is fields[n - 1].
  const charset = (fields[17] ?? '').split(/[\^~]/)[0]!.trim().toUpperCase();
  return /^8859\//.test(charset) ? 'latin1' : undefined;
}
