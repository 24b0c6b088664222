import { CS } from '../fhir/canonical.js';
import type { Basic, Extension, Flag } from '../fhir/types.js';
import { SAFEGUARDING_FLAG_TOPIC, TOPIC_BASIC_ID } from './backport.js';
import { FILTER_PARAMETERS } from './filters.js';

const R5 = 'http://hl7.org/fhir/5.0/StructureDefinition';

/**
 * The safeguarding-flag topic as the Backport IG publishes a topic in R4: a `Basic` resource
 * carrying the R5 SubscriptionTopic's elements as cross-version extensions (IG example
 * `Basic/r4-encounter-complete`). Its canonical URL is {@link SAFEGUARDING_FLAG_TOPIC}; its
 * filters are generated from the ones Cradle evaluates (filters.ts), so they cannot drift.
 */
export function safeguardingFlagTopic(): Basic {
  return {
    resourceType: 'Basic',
    id: TOPIC_BASIC_ID,
    meta: { profile: [`${R5}/profile-SubscriptionTopic`] },
    extension: [
      { url: 'http://hl7.org/fhir/StructureDefinition/artifact-url', valueUri: SAFEGUARDING_FLAG_TOPIC },
      { url: `${R5}/extension-SubscriptionTopic.version`, valueString: '1.0.0' },
      { url: `${R5}/extension-SubscriptionTopic.name`, valueString: 'SafeguardingFlag' },
      { url: `${R5}/extension-SubscriptionTopic.title`, valueString: 'Safeguarding Flag changes' },
      { url: `${R5}/extension-SubscriptionTopic.date`, valueDateTime: '2026-12-01' },
      {
        url: `${R5}/extension-SubscriptionTopic.description`,
        valueMarkdown: 'A safeguarding alert (a Flag of category safeguarding) about an infant, or an unborn baby\'s mother, was raised, changed, or set inactive. Each subscriber hears only of the families routed to its recipient, as when it reads them.',
      },
      resourceTrigger(),
      ...FILTER_PARAMETERS.map((p) => canFilterBy(p.name, p.description)),
      { url: `${R5}/extension-SubscriptionTopic.notificationShape`, extension: [{ url: 'resource', valueUri: 'Flag' }] },
    ],
    modifierExtension: [{ url: 'http://hl7.org/fhir/StructureDefinition/artifact-status', valueCode: 'active' }],
    code: { coding: [{ system: 'http://hl7.org/fhir/fhir-types', code: 'SubscriptionTopic' }] },
  };
}

/** The topic's trigger, evaluated on a Flag as it is after a change: is it a safeguarding alert? */
export function inTopic(flag: Flag): boolean {
  return (flag.category ?? []).some((c) => (c.coding ?? []).some((x) => x.system === CS.flagCategory && x.code === 'safeguarding'));
}

function resourceTrigger(): Extension {
  return {
    url: `${R5}/extension-SubscriptionTopic.resourceTrigger`,
    extension: [
      { url: 'description', valueMarkdown: 'A safeguarding Flag is created, updated or set inactive (Flags are never deleted).' },
      { url: 'resource', valueUri: 'http://hl7.org/fhir/StructureDefinition/Flag' },
      { url: 'supportedInteraction', valueCode: 'create' },
      { url: 'supportedInteraction', valueCode: 'update' },
      { url: 'fhirPathCriteria', valueString: `%current.category.coding.where(system = '${CS.flagCategory}' and code = 'safeguarding').exists()` },
    ],
  };
}

function canFilterBy(name: string, description: string): Extension {
  return {
    url: `${R5}/extension-SubscriptionTopic.canFilterBy`,
    extension: [
      { url: 'description', valueMarkdown: description },
      { url: 'resource', valueUri: 'Flag' },
      { url: 'filterParameter', valueString: name },
    ],
  };
}
