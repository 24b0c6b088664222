import { PROFILE, SYSTEM } from '../../../src/fhir/canonical.js';
import type { AnyResource, Provenance, Reference } from '../../../src/fhir/types.js';
import type { MappingContext } from '../../../src/mapping/context.js';
import { coding, concept } from '../../../src/mapping/coding.js';
import { deterministicId } from '../../../src/mapping/ids.js';

/** One Provenance per message: what it produced, from which authority (`who`), received when. */
export function mapProvenance(who: Reference, ctx: MappingContext, targets: readonly AnyResource[], what: string): Provenance {
  return {
    resourceType: 'Provenance',
    id: deterministicId('provenance', ctx.messageId),
    meta: { profile: [PROFILE.ukCoreProvenance] },
    target: targets.map((r) => ({ reference: `${r.resourceType}/${r.id}` })),
    recorded: ctx.receivedAt,
    activity: concept([coding('http://terminology.hl7.org/CodeSystem/v3-DataOperation', 'UPDATE', 'revise')]),
    agent: [{ type: concept([coding(SYSTEM.provenanceParticipantType, 'author', 'Author')]), who }],
    entity: [{ role: 'source', what: { identifier: { system: SYSTEM.inboundMessage, value: ctx.messageId }, display: `${ctx.source} ${what}` } }],
  };
}
