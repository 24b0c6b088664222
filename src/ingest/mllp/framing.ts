/**
 * MLLP framing (HL7 v2.5 appendix C, Minimal Lower Layer Protocol release 2):
 * `<VT 0x0B> message <FS 0x1C><CR 0x0D>`.
 */
export const START_BLOCK = 0x0b;
export const END_BLOCK = 0x1c;
export const CARRIAGE_RETURN = 0x0d;

export type MllpEvent =
  | { type: 'message'; body: Buffer }
  /** A frame larger than the limit: its first bytes (enough for MSH) so it can still be answered. */
  | { type: 'oversize'; head: Buffer; size: number };

const HEAD_BYTES = 4096;

/**
 * Turns a TCP byte stream into frames, whatever the chunking: a frame split across
 * chunks, several frames in one chunk, the end block's CR arriving in the next chunk.
 * Bytes between frames (a stray CR/LF from a sender, keep-alive noise) are skipped. A
 * frame over `maxBytes` is not kept in memory: its head is kept and the rest discarded
 * up to its end block.
 */
export class MllpDecoder {
  private inFrame = false;
  private parts: Buffer[] = [];
  private size = 0;
  private oversize = false;
  private skipCr = false;

  constructor(private readonly maxBytes: number) {}

  push(chunk: Buffer): MllpEvent[] {
    const events: MllpEvent[] = [];
    let i = 0;
    if (this.skipCr && chunk[0] === CARRIAGE_RETURN) i = 1;
    this.skipCr = false;
    while (i < chunk.length) {
      if (!this.inFrame) {
        const start = chunk.indexOf(START_BLOCK, i);
        if (start < 0) break;
        this.inFrame = true;
        i = start + 1;
        continue;
      }
      const end = chunk.indexOf(END_BLOCK, i);
      this.keep(chunk.subarray(i, end < 0 ? chunk.length : end));
      if (end < 0) break;
      events.push(this.finish());
      // The end block is FS CR; a CR still to come in the next chunk is skipped there.
      if (end + 1 < chunk.length) i = chunk[end + 1] === CARRIAGE_RETURN ? end + 2 : end + 1;
      else {
        this.skipCr = true;
        i = chunk.length;
      }
    }
    return events;
  }

  /** Bytes of a frame still open (for tests and for logging a connection closed mid-frame). */
  get pendingBytes(): number {
    return this.inFrame ? this.size : 0;
  }

  private keep(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.oversize) return;
    if (this.size > this.maxBytes) {
      this.oversize = true;
      this.parts = [Buffer.concat([...this.parts, bytes]).subarray(0, HEAD_BYTES)];
      return;
    }
    this.parts.push(Buffer.from(bytes));
  }

  private finish(): MllpEvent {
    const body = Buffer.concat(this.parts);
    const event: MllpEvent = this.oversize ? { type: 'oversize', head: body, size: this.size } : { type: 'message', body };
    this.inFrame = false;
    this.parts = [];
    this.size = 0;
    this.oversize = false;
    return event;
  }
}

/** One message in an MLLP frame. */
export function frameMllp(text: string | Buffer): Buffer {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return Buffer.concat([Buffer.from([START_BLOCK]), body, Buffer.from([END_BLOCK, CARRIAGE_RETURN])]);
}
