import { PROFILE, SYSTEM } from '../fhir/canonical.js';
import type { AnyResource, Provenance, Reference } from '../fhir/types.js';
import { coding, concept } from './coding.js';
import type { MappingContext } from './context.js';
import { deterministicId } from './ids.js';

/**
 * One Provenance per inbound message: what it produced, who sent it, when Cradle received
 * it, and which stored message it came from (so any fact can be traced to its bytes).
 */
export function messageProvenance(ctx: MappingContext, targets: readonly AnyResource[], author: Reference, describe: string): Provenance {
  return {
    resourceType: 'Provenance',
    id: deterministicId('provenance', ctx.messageId),
    meta: { profile: [PROFILE.ukCoreProvenance] },
    target: targets.map((r) => ({ reference: `${r.resourceType}/${r.id}` })),
    recorded: ctx.receivedAt,
    activity: concept([coding('http://terminology.hl7.org/CodeSystem/v3-DataOperation', 'UPDATE', 'revise')]),
    agent: [{ type: concept([coding(SYSTEM.provenanceParticipantType, 'author', 'Author')]), who: author }],
    entity: [{ role: 'source', what: { identifier: { system: SYSTEM.inboundMessage, value: ctx.messageId }, display: `${ctx.source} ${describe}` } }],
  };
}
