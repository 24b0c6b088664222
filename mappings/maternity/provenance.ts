import { PROFILE, SYSTEM } from '../../src/fhir/canonical.js';
import type { AnyResource, Provenance } from '../../src/fhir/types.js';
import { coding, concept } from '../../src/mapping/coding.js';
import { deterministicId } from '../../src/mapping/ids.js';
import type { MaternityScope } from './scope.js';

/** One Provenance per message: what it produced, from which system, received when. */
export function mapProvenance(scope: MaternityScope, targets: readonly AnyResource[]): Provenance {
  const { record, ctx } = scope;
  return {
    resourceType: 'Provenance',
    id: deterministicId('provenance', ctx.messageId),
    meta: { profile: [PROFILE.ukCoreProvenance] },
    target: targets.map((r) => ({ reference: `${r.resourceType}/${r.id}` })),
    recorded: ctx.receivedAt,
    activity: concept([coding('http://terminology.hl7.org/CodeSystem/v3-DataOperation', 'UPDATE', 'revise')]),
    agent: [{
      type: concept([coding(SYSTEM.provenanceParticipantType, 'author', 'Author')]),
      who: scope.organisation,
    }],
    entity: [{
      role: 'source',
      what: {
        identifier: { system: SYSTEM.inboundMessage, value: ctx.messageId },
        display: `${ctx.source} record ${record.recordId} version ${record.version}`,
      },
    }],
  };
}
