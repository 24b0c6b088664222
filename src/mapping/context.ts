/**
 * What a mapping is given besides the record: never the clock or a random source, so the
 * same message maps to the same Bundle every time (replay, golden tests).
 */
export interface MappingContext {
  /** The inbound message id (recorded in Provenance). */
  readonly messageId: string;
  /** When the message was received: Provenance.recorded, and "now" for the mapping. */
  readonly receivedAt: string;
  readonly source: string;
}
