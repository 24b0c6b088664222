import { CradleError } from '../../src/fhir/outcome.js';
import { jsonContract, parseJson } from '../../src/ingest/json-contract.js';
import type { SourceAdapter } from '../../src/ingest/source.js';
import { consistencyIssues } from './consistency.js';
import { facetIdentity, facetsOf, type Facet } from './facets.js';
import { mapSocialCareRecord, type SocialCareRecord } from './map-event.js';
import type { SocialCareEvent } from './record.js';

export const SOCIALCARE_CONTRACT = 'mappings/socialcare/contract.schema.json';
const checkContract = jsonContract<SocialCareEvent>(SOCIALCARE_CONTRACT);

/** What `split` stores for each facet of an event that has more than one. */
interface EventPart {
  recordType: 'socialcare-event-part';
  part: Facet;
  event: SocialCareEvent;
}

/**
 * The `socialcare` source: children's social care events (CONTRACTS.md). An event whose
 * facts have different lifetimes (a plan, the household, the event's own facts) is split
 * into one message per facet, each keyed by what it describes (facets.ts); an event with
 * one facet is stored as sent.
 */
export const socialcareSource: SourceAdapter<SocialCareRecord> = {
  name: 'socialcare',
  mediaTypes: ['application/json'],
  contractPath: SOCIALCARE_CONTRACT,
  split(body) {
    const event = parseEvent(body);
    const facets = facetsOf(event);
    if (facets.length === 1) return [body];
    return facets.map((part) => Buffer.from(JSON.stringify({ recordType: 'socialcare-event-part', part, event } satisfies EventPart)));
  },
  parse(body) {
    const value = parseJson(body) as Partial<EventPart>;
    if (value?.recordType !== 'socialcare-event-part') {
      const event = parseEvent(body);
      return { event, facets: facetsOf(event) };
    }
    const event = parseEvent(Buffer.from(JSON.stringify(value.event ?? null)));
    if (!value.part || !facetsOf(event).includes(value.part)) {
      throw new CradleError('CRADLE_INPUT_INVALID', { expression: ['$.part'], diagnostics: `$.part is not a facet of a ${event.event} event` });
    }
    return { event, facets: [value.part] };
  },
  identity(record) {
    // split() guarantees one facet per stored message; several only in offline checks.
    if (record.facets.length !== 1) throw new Error(`a socialcare record with facets ${record.facets.join(', ')} must be split first`);
    return facetIdentity(record.event, record.facets[0]!);
  },
  map: mapSocialCareRecord,
};

function parseEvent(body: Buffer): SocialCareEvent {
  const event = withoutNulls(checkContract(body)) as SocialCareEvent;
  const issues = consistencyIssues(event);
  if (issues.length > 0) throw CradleError.of(issues);
  return event;
}

/** The contract allows null for "not known"; inside Cradle an absent field says the same. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}
