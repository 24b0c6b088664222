import { createHash } from 'node:crypto';
import type { RecordIdentity } from '../../src/ingest/source.js';
import type { SocialCareEvent, SocialCareEventType } from './record.js';
import type { EpisodeKind } from './shape/model.js';

/**
 * How an event's facts are keyed, so that the store ends the same whatever order events
 * arrive in (README.md, "socialcare: keys, versions and out-of-order events").
 *
 * The pipeline stores a message's resources under one business key and retires what a
 * newer message under that key lacks; versions order messages under a key. An event can
 * touch three kinds of fact with different lifetimes, so it is cut into one message per
 * kind ("facet"), each under the key of what it describes:
 *
 * - `episode` — a case or plan (case-open/closed, cin-plan, cp-plan, lac start/end): keyed by
 *   the plan (LA, child, plan kind, start date). Start and end events both state the whole
 *   plan; an end always outranks a start (plans never reopen: a new plan has a new start
 *   date), and among events of one kind the later `occurredAt` wins. So start-then-end and
 *   end-then-start both leave the plan finished.
 * - `household` — the household named by household-updated (or any event's details): keyed
 *   by the child; the latest snapshot wins and retires members who left.
 * - `event` — facts that belong to the event alone (a referral, assessment factors): keyed
 *   by the event id with no version, so they accumulate and never conflict.
 */
export type Facet = 'episode' | 'household' | 'event';

interface EpisodeEvent { kind: EpisodeKind; ends: boolean }

export const EPISODE_EVENTS: Readonly<Partial<Record<SocialCareEventType, EpisodeEvent>>> = {
  'case-open': { kind: 'cin-episode', ends: false },
  'case-closed': { kind: 'cin-episode', ends: true },
  'cin-plan-start': { kind: 'cin-plan', ends: false },
  'cin-plan-end': { kind: 'cin-plan', ends: true },
  'cp-plan-start': { kind: 'cp-plan', ends: false },
  'cp-plan-end': { kind: 'cp-plan', ends: true },
  'lac-start': { kind: 'lac', ends: false },
  'lac-end': { kind: 'lac', ends: true },
};

/** The facets an event has, in a fixed order. Every event has at least one. */
export function facetsOf(e: SocialCareEvent): Facet[] {
  const facets: Facet[] = [];
  if (EPISODE_EVENTS[e.event]) facets.push('episode');
  if (e.event === 'household-updated' || e.details?.householdMembers) facets.push('household');
  if (e.event === 'referral' || e.event === 'assessment-completed' || e.details?.assessmentFactors?.length) facets.push('event');
  return facets;
}

export function facetIdentity(e: SocialCareEvent, facet: Facet): RecordIdentity {
  const la = e.localAuthority.code;
  const child = e.child.laChildId;
  if (facet === 'event') return { key: `socialcare|${la}|${e.eventId}`, version: null };
  if (facet === 'household') return { key: `socialcare|${la}|${child}|household`, version: orderingVersion(e.occurredAt, 0, e.eventId) };
  const episode = EPISODE_EVENTS[e.event]!;
  return { key: `socialcare|${la}|${child}|${episode.kind}|${startDateOf(e)}`, version: orderingVersion(e.occurredAt, episode.ends ? 1 : 0, e.eventId) };
}

/**
 * rank × 10^13 + seconds since 1970 × 1000 + a tie-break from the event id: an end (rank
 * 1) outranks any start; then the later event; two events in the same second are ordered
 * by their ids, so even a tie never depends on arrival order. Fits in 2^53 to AD 2286.
 */
export function orderingVersion(occurredAt: string, rank: 0 | 1, eventId: string): number {
  const seconds = Math.floor(Date.parse(occurredAt) / 1000);
  const tieBreak = parseInt(createHash('sha256').update(eventId).digest('hex').slice(0, 8), 16) % 1000;
  return rank * 1e13 + seconds * 1000 + tieBreak;
}

/** The local date of an instant as the sender wrote it (its own offset), not UTC's. */
export function localDate(dateTime: string): string {
  return dateTime.slice(0, 10);
}

/** The plan or case start: stated, or (start events) the day the event occurred. */
export function startDateOf(e: SocialCareEvent): string {
  return e.details?.startDate ?? localDate(e.occurredAt);
}

export function endDateOf(e: SocialCareEvent): string {
  return e.details?.endDate ?? localDate(e.occurredAt);
}
