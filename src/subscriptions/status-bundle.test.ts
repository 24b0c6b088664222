import { describe, expect, it } from 'vitest';
import type { Bundle, Flag, Parameters } from '../fhir/types.js';
import { validateResource } from '../fhir/validator.js';
import { BACKPORT, SAFEGUARDING_FLAG_TOPIC } from './backport.js';
import { notificationBundle, statusSearchset, type StatusInput } from './status-bundle.js';

const BASE = 'https://cradle.example.org/fhir';
const NOW = '2026-12-01T10:00:00.000Z';
const IDS = { bundle: 'b1', status: '5f0c3b1e-1c1a-4b7e-9a52-2d6f1f3e8a11' };
const FLAG: Flag = { resourceType: 'Flag', id: 'f1', meta: { versionId: '2' }, status: 'active', code: { text: 'x' }, subject: { reference: 'Patient/p1' } };
const input = (over: Partial<StatusInput> = {}): StatusInput => ({
  base: BASE, subscriptionId: 's1', status: 'active', type: 'event-notification', eventsSinceStart: 7, content: 'id-only',
  events: [
    { number: 6, timestamp: '2026-12-01T09:00:00.000Z', focus: { ref: 'Flag/f1', created: true, resource: FLAG } },
    { number: 7, timestamp: '2026-12-01T09:30:00.000Z', focus: { ref: 'Flag/f1', created: false, resource: FLAG } },
  ],
  ...over,
});
const status = (b: Bundle) => b.entry![0]!.resource as Parameters;
const param = (p: Parameters, name: string) => p.parameter!.filter((x) => x.name === name);

describe('notification Bundles (Backport IG, R4)', () => {
  it('are valid R4 history Bundles whose first entry is the status Parameters, requested as $status', () => {
    for (const content of ['empty', 'id-only', 'full-resource'] as const) {
      const bundle = notificationBundle(input({ content }), IDS, NOW);
      expect(validateResource(bundle), content).toEqual([]);
      expect(bundle).toMatchObject({ type: 'history', timestamp: NOW, meta: { profile: [BACKPORT.notificationProfile] } });
      expect(bundle.entry![0]).toMatchObject({
        fullUrl: `urn:uuid:${IDS.status}`,
        request: { method: 'GET', url: `${BASE}/Subscription/s1/$status` },
        response: { status: '200' },
      });
      expect(status(bundle).meta!.profile).toEqual([BACKPORT.statusProfile]);
    }
  });

  it('number every event and count all events since the subscription started', () => {
    const p = status(notificationBundle(input(), IDS, NOW));
    expect(param(p, 'subscription')[0]!.valueReference).toEqual({ reference: `${BASE}/Subscription/s1` });
    expect(param(p, 'topic')[0]!.valueCanonical).toBe(SAFEGUARDING_FLAG_TOPIC);
    expect(param(p, 'type')[0]!.valueCode).toBe('event-notification');
    expect(param(p, 'events-since-subscription-start')[0]!.valueString).toBe('7');
    expect(param(p, 'notification-event').map((e) => e.part!.map((x) => [x.name, x.valueString ?? x.valueInstant ?? x.valueReference?.reference]))).toEqual([
      [['event-number', '6'], ['timestamp', '2026-12-01T09:00:00.000Z'], ['focus', `${BASE}/Flag/f1`]],
      [['event-number', '7'], ['timestamp', '2026-12-01T09:30:00.000Z'], ['focus', `${BASE}/Flag/f1`]],
    ]);
  });

  it('id-only: one entry per event with the Flag URL and the change, no resource', () => {
    const entries = notificationBundle(input(), IDS, NOW).entry!.slice(1);
    expect(entries).toEqual([
      { fullUrl: `${BASE}/Flag/f1`, request: { method: 'POST', url: 'Flag' }, response: { status: '201' } },
      { fullUrl: `${BASE}/Flag/f1`, request: { method: 'PUT', url: 'Flag/f1' }, response: { status: '200' } },
    ]);
  });

  it('full-resource: the Flags themselves', () => {
    const entries = notificationBundle(input({ content: 'full-resource' }), IDS, NOW).entry!.slice(1);
    expect(entries.map((e) => e.resource)).toEqual([FLAG, FLAG]);
  });

  it('empty: no topic, no focus, no entry beyond the status (IG, Payloads)', () => {
    const bundle = notificationBundle(input({ content: 'empty' }), IDS, NOW);
    expect(bundle.entry).toHaveLength(1);
    expect(param(status(bundle), 'topic')).toEqual([]);
    expect(param(status(bundle), 'notification-event').flatMap((e) => e.part!.map((x) => x.name))).not.toContain('focus');
  });

  it('an event whose Flag may no longer be shown keeps its number but names nothing', () => {
    const bundle = notificationBundle(input({ events: [{ number: 3, timestamp: NOW }] }), IDS, NOW);
    expect(bundle.entry).toHaveLength(1);
    expect(param(status(bundle), 'notification-event')[0]!.part!.map((x) => x.name)).toEqual(['event-number', 'timestamp']);
  });

  it('handshakes and heartbeats carry status only; the same input gives the same Bundle', () => {
    const handshake = notificationBundle(input({ type: 'handshake', status: 'requested', eventsSinceStart: 0, events: [] }), IDS, NOW);
    expect(handshake.entry).toHaveLength(1);
    expect(param(status(handshake), 'status')[0]!.valueCode).toBe('requested');
    expect(notificationBundle(input(), IDS, NOW)).toEqual(notificationBundle(input(), IDS, NOW));
  });

  it('$status answers a searchset of query-status Parameters, with the error when there is one', () => {
    const bundle = statusSearchset([{ input: input({ type: 'query-status', status: 'error', events: [], error: { code: 'CRADLE_SUBSCRIBER_UNAVAILABLE', text: 'answered 503' } }), id: IDS.status }], 'b2', NOW);
    expect(validateResource(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ type: 'searchset', total: 1 });
    const p = status(bundle);
    expect(param(p, 'type')[0]!.valueCode).toBe('query-status');
    expect(param(p, 'error')[0]!.valueCodeableConcept).toEqual({ coding: [{ system: 'https://fhir.cradle.org.uk/CodeSystem/issue-code', code: 'CRADLE_SUBSCRIBER_UNAVAILABLE' }], text: 'answered 503' });
  });
});
