import type { CapabilityStatementRestResource } from '../fhir/types.js';
import { BACKPORT, SAFEGUARDING_FLAG_TOPIC, TOPIC_BASIC_ID } from './backport.js';

/**
 * What the CapabilityStatement says of Subscriptions (after the IG's
 * `backport-subscription-server-r4`): the topic Cradle offers, the interactions, `$status`
 * and `$events`; and the `Basic` resource that publishes the topic.
 */
export function subscriptionCapabilities(): CapabilityStatementRestResource[] {
  return [
    {
      type: 'Subscription',
      extension: [{ url: BACKPORT.capabilityTopic, valueCanonical: SAFEGUARDING_FLAG_TOPIC }],
      supportedProfile: [BACKPORT.subscriptionProfile],
      documentation: 'Topic-based Subscriptions (Subscriptions R5 Backport IG) on the safeguarding-flag topic: rest-hook channel, '
        + 'payload application/fhir+json with content empty, id-only or full-resource; endpoints https only. Roles read:<recipient> or admin; '
        + 'a subscriber hears only of the families it may read, and sees, changes and deletes only its own Subscriptions.',
      interaction: [{ code: 'create' }, { code: 'read' }, { code: 'update' }, { code: 'delete' }, { code: 'search-type' }],
      searchParam: [{ name: 'status', type: 'token', documentation: 'requested | active | error | off' }],
      operation: [
        { name: 'status', definition: BACKPORT.statusOperation },
        { name: 'events', definition: BACKPORT.eventsOperation },
      ],
    },
    {
      type: 'Basic',
      documentation: `Only Basic/${TOPIC_BASIC_ID}: the SubscriptionTopic ${SAFEGUARDING_FLAG_TOPIC}, published as the Backport IG does in R4.`,
      interaction: [{ code: 'read' }],
    },
  ];
}
