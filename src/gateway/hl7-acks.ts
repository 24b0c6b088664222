import { CradleError, issuesOf, type Issue } from '../fhir/outcome.js';
import { ackCodeFor, ackSubject, buildAck } from '../ingest/hl7v2/ack.js';
import { ER7_MEDIA_TYPE } from '../ingest/hl7v2/er7.js';
import type { SourceAdapter } from '../ingest/source.js';
import { acceptMessages, type Accepted } from '../pipeline/accept-message.js';
import type { Logger } from '../observability/logger.js';
import type { Runtime } from '../runtime/runtime.js';

export { ER7_MEDIA_TYPE };

export interface AckedMessage {
  accepted: Accepted;
  /** The HL7 ACK for this message, ER7 text ending in `\r`. */
  ack: string;
}

/**
 * Accepts an ER7 body (one message or a batch) through the shared {@link acceptMessages}
 * — so every ACK is sent only after its message is committed — and builds one HL7 ACK per
 * message: AA when stored (new or already had), AE/AR with ERR segments when rejected.
 * Used by the HTTP ACK route and the MLLP listener alike.
 */
export async function acceptAndAcknowledge(rt: Runtime, adapter: SourceAdapter, body: Buffer, clientId: string | null, log: Logger): Promise<AckedMessage[]> {
  const parts = splitLikeAccept(adapter, body);
  const accepted = await acceptMessages(rt, { adapter, body, mediaType: ER7_MEDIA_TYPE, clientId }, log);
  const now = rt.clock();
  return accepted.map((a, i) => {
    const issues = a.outcome ? issuesOf(a.outcome) : [];
    return { accepted: a, ack: ackFor(parts[i] ?? body, issues, a.message.id, now) };
  });
}

/** An AR for a body that was not stored (too large, or Cradle failing): the sender must send it again. */
export function rejectionAck(body: Buffer, error: CradleError, now: string, controlId: string): string {
  return ackFor(body, [...error.issues], controlId, now);
}

function ackFor(body: Buffer, issues: readonly Issue[], id: string, now: string): string {
  // MSH-10 is ST(20) before v2.5: a UUID without dashes, cut to 20, stays unique enough and fits.
  const controlId = id.replace(/-/g, '').slice(0, 20);
  return buildAck(ackSubject(body), ackCodeFor(issues), issues, { controlId, now });
}

/** The same parts acceptMessages stores, in the same order, so each ACK echoes its own message's MSH. */
function splitLikeAccept(adapter: SourceAdapter, body: Buffer): Buffer[] {
  if (!adapter.split) return [body];
  try {
    return adapter.split(body, ER7_MEDIA_TYPE);
  } catch {
    return [body];
  }
}

/** True when an Accept header asks for ER7 (media ranges with parameters, any order). */
export function wantsEr7(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((range) => range.split(';')[0]!.trim().toLowerCase() === ER7_MEDIA_TYPE);
}
