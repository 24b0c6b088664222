import { describe, expect, it } from 'vitest';
import { eventSequence } from './event-sequence.fixture.js';
import { facetIdentity, facetsOf, orderingVersion } from './facets.js';
import { socialcareSource } from './index.js';
import type { SocialCareEvent } from './record.js';

const events = eventSequence({ childNhs: '9434765846', motherNhs: '9434765919', fatherNhs: '9434765870', partnerNhs: '9434765870' });
const byType = (t: SocialCareEvent['event']) => events.find((e) => e.event === t)!;
const body = (e: SocialCareEvent) => Buffer.from(JSON.stringify(e));

describe('socialcare facets: one message per kind of fact, keyed by what it describes', () => {
  it('stores an event with one kind of fact exactly as sent', () => {
    const e = byType('lac-start');
    expect(socialcareSource.split!(body(e), 'application/json')).toEqual([body(e)]);
  });

  it('splits a CP plan start naming the household and factors into plan, household and event messages', () => {
    const e = { ...byType('cp-plan-start'), details: { ...byType('cp-plan-start').details, assessmentFactors: ['2B'] } };
    const parts = socialcareSource.split!(body(e), 'application/json');
    const records = parts.map((p) => socialcareSource.parse(p, 'application/json'));
    expect(records.map((r) => r.facets)).toEqual([['episode'], ['household'], ['event']]);
    expect(records.map((r) => socialcareSource.identity(r).key)).toEqual([
      'socialcare|E10000014|HCC-C-9001|cp-plan|2026-07-01', 'socialcare|E10000014|HCC-C-9001|household', `socialcare|E10000014|${e.eventId}`,
    ]);
  });

  it('gives a plan\'s start and end the same key, and the end a higher version whatever their times', () => {
    const start = byType('cp-plan-start');
    const end = { ...byType('cp-plan-end'), occurredAt: '2026-06-01T00:00:00Z' };
    expect(facetIdentity(end, 'episode').key).toBe(facetIdentity(start, 'episode').key);
    expect(facetIdentity(end, 'episode').version!).toBeGreaterThan(facetIdentity(start, 'episode').version!);
  });

  it('orders household snapshots by when they occurred, and breaks a same-second tie by event id, not arrival', () => {
    const [early, late] = events.filter((e) => e.event === 'household-updated');
    expect(facetIdentity(late!, 'household').version!).toBeGreaterThan(facetIdentity(early!, 'household').version!);
    const a = orderingVersion('2026-07-01T14:00:00Z', 0, 'A');
    const b = orderingVersion('2026-07-01T14:00:00Z', 0, 'B');
    expect(a).not.toBe(b);
    expect(orderingVersion('2026-07-01T14:00:00Z', 0, 'A')).toBe(a);
  });

  it('keys facts that belong to one event by the event id, with no version, so they accumulate', () => {
    expect(facetIdentity(byType('referral'), 'event')).toEqual({ key: 'socialcare|E10000014|HCC-EV-00001', version: null });
    expect(facetsOf(byType('assessment-completed'))).toEqual(['event']);
  });

  it('refuses a part that claims a facet its event does not have', () => {
    const part = Buffer.from(JSON.stringify({ recordType: 'socialcare-event-part', part: 'household', event: byType('lac-start') }));
    expect(() => socialcareSource.parse(part, 'application/json')).toThrow(/not a facet of a lac-start event/);
  });
});
