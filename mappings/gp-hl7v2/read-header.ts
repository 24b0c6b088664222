import { CradleError } from '../../src/fhir/outcome.js';
import { versionNumber } from '../../src/ingest/hl7v2/datetime.js';
import type { Er7Message } from '../../src/ingest/hl7v2/er7.js';
import { readDateTime, type IssueList } from './read-values.js';
import type { AdtEvent, Hl7Header, SiuEvent } from './record.js';

export const SUPPORTED: Readonly<Record<'ADT' | 'SIU', readonly string[]>> = {
  ADT: ['A01', 'A04', 'A08', 'A28', 'A31', 'A40'],
  SIU: ['S12', 'S26'],
};

const SUPPORTED_TEXT = 'gp-hl7v2 reads ADT A01 A04 A08 A28 A31 A40 and SIU S12 S26';

/**
 * MSH (and EVN): what the message is, who sent it, and when. Throws CRADLE_MESSAGE_UNSUPPORTED
 * at once for a message type, trigger event, version or processing id Cradle does not
 * take — there is nothing else worth checking in such a message, and the sender gets an
 * AR naming the field.
 */
export function readHeader(msg: Er7Message, issues: IssueList): Hl7Header {
  const msh = msg.msh;
  const type = msh.get(9, 1).toUpperCase();
  const event = (msh.get(9, 2) || msg.segment('EVN')?.get(1) || '').toUpperCase();
  if (type !== 'ADT' && type !== 'SIU') unsupported('MSH-9.1', `${type || 'no'} messages are not read; ${SUPPORTED_TEXT}`);
  if (!SUPPORTED[type].includes(event)) unsupported('MSH-9.2', `${type}^${event || '(no event)'} is not read; ${SUPPORTED_TEXT}`);
  checkVersion(msh.get(12));
  checkProcessingId(msh.get(11));

  const controlId = msh.get(10);
  if (!controlId) issues.missing('MSH-10', 'message control id');
  const sendingFacility = msh.get(4, 1) || msh.get(4, 2) || msh.get(3, 1);
  if (!sendingFacility) issues.missing('MSH-4', 'sending facility: local identifiers are scoped to it');
  const sent = readDateTime(msh.field(7), 1, issues, 'message date/time');
  if (!msh.get(7)) issues.missing('MSH-7', 'message date/time: versions are ordered by it');
  const evn = msg.segment('EVN');
  const recorded = evn ? readDateTime(evn.field(2), 1, issues, 'recorded date/time') : undefined;
  const when = recorded ?? sent;
  return {
    sendingFacility,
    sendingApplication: msh.get(3, 1),
    messageType: type,
    event: event as AdtEvent | SiuEvent,
    controlId,
    version: msh.get(12),
    recordedAt: when?.fhir ?? '',
    versionNumber: when ? versionNumber(when.instant) : 0,
  };
}

/** v2.2 to v2.8: the fields Cradle reads keep their positions across these (HL7 keeps v2 backward compatible). */
function checkVersion(version: string): void {
  const m = /^2\.(\d)(\.\d+)?$/.exec(version);
  if (!m || Number(m[1]) < 2) unsupported('MSH-12', `version ${version || '(none)'} is not read; gp-hl7v2 reads HL7 v2.2 to v2.8`);
}

/** Training and debugging messages (MSH-11 T, D) must never raise an alert about a real child. */
function checkProcessingId(id: string): void {
  const code = id.toUpperCase();
  if (code !== '' && code !== 'P') unsupported('MSH-11', `processing id ${code} is not taken: only production (P) messages enter Cradle`);
}

function unsupported(at: string, diagnostics: string): never {
  throw new CradleError('CRADLE_MESSAGE_UNSUPPORTED', { expression: [at], diagnostics });
}
