import { CradleError } from '../../fhir/outcome.js';

const ENVELOPE = new Set(['FHS', 'BHS', 'BTS', 'FTS']);

/**
 * Cuts an ER7 body into its messages (HL7 v2.5 section 2.10.3, batches): each MSH starts
 * a message; the batch envelope (FHS/BHS … BTS/FTS) is not part of any message. Works on
 * the bytes, so each part is exactly what the sender sent for that message and a resend
 * of the same message is recognised as a duplicate. A body holding one message without
 * an envelope comes back unchanged.
 */
export function splitEr7Batch(body: Buffer): Buffer[] {
  // Latin-1 maps each byte to one character, so string offsets are byte offsets.
  const text = body.toString('latin1');
  const starts = lineStarts(text);
  const kinds = starts.map((s) => segmentKind(text, s));
  const messages = kinds.filter((k) => k === 'MSH').length;
  if (messages === 0) {
    throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['MSH'], diagnostics: 'no MSH segment: not an HL7 v2 message' });
  }
  if (messages === 1 && !kinds.some((k) => k && ENVELOPE.has(k))) return [body];
  const parts: Buffer[] = [];
  let current: number | undefined;
  starts.forEach((start, i) => {
    const kind = kinds[i];
    if (kind === 'MSH' || (kind && ENVELOPE.has(kind))) {
      if (current !== undefined) parts.push(body.subarray(current, start));
      current = kind === 'MSH' ? start : undefined;
    }
  });
  if (current !== undefined) parts.push(body.subarray(current));
  return parts;
}

/** Offsets where a line begins (after a BOM, CR or LF). */
function lineStarts(text: string): number[] {
  const starts = [text.startsWith('\u00ef\u00bb\u00bf') ? 3 : 0];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\r' || ch === '\n') {
      const next = i + 1;
      if (next < text.length && text[next] !== '\r' && text[next] !== '\n') starts.push(next);
    }
  }
  return starts;
}

function segmentKind(text: string, at: number): string | undefined {
  const id = text.slice(at, at + 3);
  const sep = text[at + 3];
  return /^[A-Z][A-Z0-9]{2}$/.test(id) && sep !== undefined && !/[A-Za-z0-9\s]/.test(sep) ? id : undefined;
}
