import { describe, expect, it } from 'vitest';
import type { Issue } from '../fhir/outcome.js';
import { validateResource } from '../fhir/validator.js';
import { BACKPORT, SAFEGUARDING_FLAG_TOPIC } from './backport.js';
import { readSubscription } from './subscription-request.js';
import { safeguardingFlagTopic } from './topic.js';

const NOW = '2026-12-01T10:00:00.000Z';

/** The IG's example admission Subscription, on Cradle's topic. */
function subscription(over: { content?: string; endpoint?: string; channel?: Record<string, unknown>; top?: Record<string, unknown> } = {}) {
  return {
    resourceType: 'Subscription', status: 'requested', reason: 'Safeguarding alerts for our caseload',
    criteria: SAFEGUARDING_FLAG_TOPIC,
    _criteria: { extension: [{ url: BACKPORT.filterCriteria, valueString: 'Flag?status=active' }] },
    channel: {
      type: 'rest-hook', endpoint: over.endpoint ?? 'https://hv.example.org/notify', payload: 'application/fhir+json',
      _payload: { extension: [{ url: BACKPORT.payloadContent, valueCode: over.content ?? 'id-only' }] },
      header: ['Authorization: Bearer abc'],
      extension: [
        { url: BACKPORT.heartbeatPeriod, valueUnsignedInt: 60 },
        { url: BACKPORT.timeout, valueUnsignedInt: 5 },
        { url: BACKPORT.maxCount, valuePositiveInt: 10 },
      ],
      ...over.channel,
    },
    ...over.top,
  };
}
const problems = (r: ReturnType<typeof readSubscription>): Array<[string, string | undefined]> =>
  ('issues' in r ? r.issues : []).map((i: Issue) => [i.code, i.expression?.[0]]);

describe('readSubscription', () => {
  it('reads a Backport Subscription into what the notifier needs', () => {
    const read = readSubscription(subscription(), NOW);
    expect(read).toEqual({
      spec: {
        filters: [{ param: 'status', statuses: ['active'] }], endpoint: 'https://hv.example.org/notify', headers: [['Authorization', 'Bearer abc']],
        payloadMimeType: 'application/fhir+json', content: 'id-only', heartbeatSeconds: 60, timeoutSeconds: 5, maxCount: 10, end: undefined, wantsOff: false,
      },
    });
  });

  it('defaults the timeout and maxCount, and has no heartbeat unless asked', () => {
    const read = readSubscription(subscription({ channel: { extension: undefined, header: undefined } }), NOW);
    expect(read).toMatchObject({ spec: { heartbeatSeconds: undefined, timeoutSeconds: 10, maxCount: 20, headers: [] } });
  });

  it('keeps endpoints to the configured allow-list, by scheme, host, port and whole path segments', () => {
    const allowed = ['https://hv.example.org/notify', 'https://gp.example.org:8443/'];
    expect(problems(readSubscription(subscription(), NOW, allowed))).toEqual([]);
    for (const endpoint of ['https://hv.example.org/notify-other', 'https://hv.example.org.evil.test/notify', 'http://hv.example.org/notify', 'https://gp.example.org/hook', 'https://169.254.169.254/latest']) {
      expect(problems(readSubscription(subscription({ endpoint }), NOW, allowed))).toEqual([['CRADLE_SUBSCRIPTION_UNSUPPORTED', 'Subscription.channel.endpoint']]);
    }
    expect(problems(readSubscription(subscription({ endpoint: 'https://gp.example.org:8443/fhir/hook' }), NOW, allowed))).toEqual([]);
  });

  it('refuses what is not a Subscription, or not valid R4, with FHIRPath expressions', () => {
    expect(problems(readSubscription({ resourceType: 'Patient' }, NOW))).toEqual([['CRADLE_FHIR_INVALID', 'Subscription']]);
    expect(problems(readSubscription(subscription({ top: { status: 'sleeping' } }), NOW))).toEqual([['CRADLE_FHIR_INVALID', 'Subscription.status']]);
  });

  it('reports every problem at once', () => {
    const bad = subscription({
      content: 'everything', endpoint: 'ftp://hv.example.org/x',
      channel: { type: 'websocket', payload: 'application/xml', header: ['Content-Type: text/plain', 'no colon'], extension: [{ url: BACKPORT.heartbeatPeriod, valueUnsignedInt: 0 }] },
      top: { criteria: 'https://example.org/SubscriptionTopic/other', _criteria: { extension: [{ url: BACKPORT.filterCriteria, valueString: 'Flag?colour=red' }] }, end: '2020-01-01T00:00:00Z' },
    });
    expect(problems(readSubscription(bad, NOW))).toEqual(expect.arrayContaining([
      ['CRADLE_SUBSCRIPTION_UNSUPPORTED', 'Subscription.criteria'],
      ['CRADLE_INPUT_INVALID', 'Subscription.criteria.extension[0].value'],
      ['CRADLE_INPUT_INVALID', 'Subscription.channel.endpoint'],
      ['CRADLE_SUBSCRIPTION_UNSUPPORTED', 'Subscription.channel.payload'],
      ['CRADLE_INPUT_INVALID', `Subscription.channel.payload.extension('${BACKPORT.payloadContent}')`],
      ['CRADLE_INPUT_INVALID', 'Subscription.channel.header[0]'],
      ['CRADLE_INPUT_INVALID', 'Subscription.channel.header[1]'],
      ['CRADLE_INPUT_INVALID', `Subscription.channel.extension('${BACKPORT.heartbeatPeriod}').value`],
      ['CRADLE_SUBSCRIPTION_UNSUPPORTED', 'Subscription.channel.type'],
      ['CRADLE_INPUT_INVALID', 'Subscription.end'],
    ]));
  });

  it('needs an endpoint and a payload content code', () => {
    const sub = subscription({ channel: { endpoint: undefined, _payload: undefined } });
    expect(problems(readSubscription(sub, NOW))).toEqual([
      ['CRADLE_INPUT_MISSING', 'Subscription.channel.endpoint'],
      ['CRADLE_INPUT_MISSING', `Subscription.channel.payload.extension('${BACKPORT.payloadContent}')`],
    ]);
  });

  it('notifies over https only, plain http to this machine aside, whatever the payload (headers carry the hook\'s secret)', () => {
    expect(problems(readSubscription(subscription({ content: 'full-resource', endpoint: 'http://hv.example.org/notify' }), NOW)))
      .toEqual([['CRADLE_SUBSCRIPTION_UNSUPPORTED', 'Subscription.channel.endpoint']]);
    expect(readSubscription(subscription({ content: 'full-resource', endpoint: 'http://127.0.0.1:9000/notify' }), NOW)).toHaveProperty('spec');
    for (const content of ['id-only', 'empty']) {
      expect(problems(readSubscription(subscription({ content, endpoint: 'http://hv.example.org/notify' }), NOW))).toEqual([['CRADLE_SUBSCRIPTION_UNSUPPORTED', 'Subscription.channel.endpoint']]);
    }
    expect(readSubscription(subscription({ content: 'id-only', endpoint: 'http://localhost:9000/notify' }), NOW)).toHaveProperty('spec');
    expect(problems(readSubscription(subscription({ endpoint: 'https://user:secret@hv.example.org/x' }), NOW))).toEqual([['CRADLE_INPUT_INVALID', 'Subscription.channel.endpoint']]);
  });

  it('lets a client ask for off, never for error', () => {
    expect(readSubscription(subscription({ top: { status: 'off' } }), NOW)).toMatchObject({ spec: { wantsOff: true } });
    expect(problems(readSubscription(subscription({ top: { status: 'error' } }), NOW))).toEqual([['CRADLE_INPUT_INVALID', 'Subscription.status']]);
  });
});

describe('the safeguarding-flag topic', () => {
  it('is a valid R4 Basic naming its canonical URL and the filters Cradle evaluates', () => {
    const topic = safeguardingFlagTopic();
    expect(validateResource(topic)).toEqual([]);
    expect(topic.extension!.find((e) => e.url.endsWith('artifact-url'))!.valueUri).toBe(SAFEGUARDING_FLAG_TOPIC);
    const filters = topic.extension!.filter((e) => e.url.endsWith('SubscriptionTopic.canFilterBy'))
      .map((e) => e.extension!.find((x) => x.url === 'filterParameter')!.valueString);
    expect(filters).toEqual(['patient', 'code', 'status']);
  });
});
