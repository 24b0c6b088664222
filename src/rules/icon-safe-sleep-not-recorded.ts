import { CS } from '../fhir/canonical.js';
import type { Encounter, Observation } from '../fhir/types.js';
import { children, mother, resourcesOf, type FamilyPicture } from '../identity/family-picture.js';
import { means } from '../mapping/terminology.js';
import { refOf, ukDate, whoRecorded } from './evidence.js';
import { observationsOf } from './facts/care.js';
import { bornInfants } from './facts/people.js';
import type { Rule, RuleFinding } from './rule.js';

const TOPICS = [
  { type: 'icon-discussed', words: 'ICON (infant crying is normal, comforting methods, OK to walk away, never shake)' },
  { type: 'safe-sleep-discussed', words: 'safe sleep' },
] as const;

/**
 * ICON or safe sleep not recorded as discussed at a postnatal or discharge contact.
 *
 * Learning: ICON and safe sleep should be discussed at discharge and at contacts (93% of
 * discharges in one audit) and recorded; about 70% of shaken babies are shaken by men, so
 * both parents matter. Alerts (low) for a postnatal or discharge contact where either topic
 * is not recorded as discussed, until a later contact records it.
 */
export const iconSafeSleepNotRecorded: Rule = {
  id: 'icon-safe-sleep-not-recorded',
  version: '1.0.0',
  title: 'ICON or safe sleep not recorded',
  protocol: {
    name: 'ICON: Babies cry, you can cope; safer sleep guidance',
    url: 'http://www.iconcope.org/for-professionals/',
    learning: 'ICON and safe sleep discussed at discharge and contacts, and recorded as discussed.',
  },
  settings: { schema: {}, defaults: {} },
  evaluate(picture: FamilyPicture): RuleFinding[] {
    const people = [...children(picture).map((c) => c.id!), ...(mother(picture) ? [picture.key] : [])];
    const contacts = people.flatMap((id) => resourcesOf(picture, 'Encounter', id))
      .filter((e) => e.period?.start && e.status !== 'cancelled' && e.status !== 'entered-in-error'
        && (means(e.type?.[0], CS.contactType, 'postnatal') || means(e.type?.[0], CS.contactType, 'discharge')));
    const gaps: Array<{ topic: string; contact: Encounter }> = [];
    for (const topic of TOPICS) {
      const discussed = people.flatMap((id) => observationsOf(picture, id, topic.type)).filter((o) => o.valueBoolean === true);
      for (const contact of contacts) {
        const at = Date.parse(contact.period!.start!);
        const covered = discussed.some((o: Observation) => o.encounter?.reference === `Encounter/${contact.id}` || Date.parse(o.effectiveDateTime ?? '') >= at);
        if (!covered) gaps.push({ topic: topic.words, contact });
      }
    }
    if (gaps.length === 0) return [];
    return bornInfants(picture).map((baby) => ({
      subject: baby.id!,
      priority: 'low' as const,
      summary: 'ICON or safe sleep not recorded as discussed at a postnatal or discharge contact',
      detail: `${gaps.map((g) => `${g.topic} not recorded as discussed at the ${g.contact.type?.[0]?.text?.toLowerCase() ?? 'contact'} on ${ukDate(g.contact.period!.start!)} (${whoRecorded(g.contact)}), nor since`).join('; ').replace(/^./, (c) => c.toUpperCase())}.`,
      action: 'Discuss ICON and safe sleep with both parents (and anyone caring for the baby) at the next contact, and record that they were discussed.',
      evidence: [...new Set(gaps.map((g) => refOf(g.contact)))],
    }));
  },
};
