import { CRADLE_BASE } from '../fhir/canonical.js';

/**
 * Canonical URLs of the Subscriptions R5 Backport IG for FHIR R4
 * (http://hl7.org/fhir/uv/subscriptions-backport, STU 1.1), and Cradle's one topic.
 * R4 has no SubscriptionTopic resource: a Subscription names its topic by canonical URL in
 * `Subscription.criteria`, and the topic is published as a `Basic` resource (see topic.ts).
 */
const IG = 'http://hl7.org/fhir/uv/subscriptions-backport';

export const BACKPORT = {
  ig: `${IG}/ImplementationGuide/hl7.fhir.uv.subscriptions-backport`,
  subscriptionProfile: `${IG}/StructureDefinition/backport-subscription`,
  statusProfile: `${IG}/StructureDefinition/backport-subscription-status-r4`,
  notificationProfile: `${IG}/StructureDefinition/backport-subscription-notification-r4`,
  filterCriteria: `${IG}/StructureDefinition/backport-filter-criteria`,
  payloadContent: `${IG}/StructureDefinition/backport-payload-content`,
  heartbeatPeriod: `${IG}/StructureDefinition/backport-heartbeat-period`,
  timeout: `${IG}/StructureDefinition/backport-timeout`,
  maxCount: `${IG}/StructureDefinition/backport-max-count`,
  statusOperation: `${IG}/OperationDefinition/backport-subscription-status`,
  eventsOperation: `${IG}/OperationDefinition/backport-subscription-events`,
  serverCapabilities: `${IG}/CapabilityStatement/backport-subscription-server-r4`,
  capabilityTopic: `${IG}/StructureDefinition/capabilitystatement-subscriptiontopic-canonical`,
} as const;

/** The topic every Cradle Subscription is about: a change to a safeguarding Flag. */
export const SAFEGUARDING_FLAG_TOPIC = `${CRADLE_BASE}/SubscriptionTopic/safeguarding-flag`;
/** The id of the `Basic` resource that publishes the topic (`GET /fhir/Basic/safeguarding-flag`). */
export const TOPIC_BASIC_ID = 'safeguarding-flag';

/** How much of each changed Flag a notification carries (backport-content-code-system). */
export const PAYLOAD_CONTENTS = ['empty', 'id-only', 'full-resource'] as const;
export type PayloadContent = (typeof PAYLOAD_CONTENTS)[number];

/** R4 Subscription.status (http://hl7.org/fhir/subscription-status). */
export type SubscriptionStatusCode = 'requested' | 'active' | 'error' | 'off';

/** R5 SubscriptionStatus.type, carried in the R4 status Parameters. */
export type NotificationType = 'handshake' | 'heartbeat' | 'event-notification' | 'query-status' | 'query-event';

export function isPayloadContent(value: unknown): value is PayloadContent {
  return typeof value === 'string' && (PAYLOAD_CONTENTS as readonly string[]).includes(value);
}
