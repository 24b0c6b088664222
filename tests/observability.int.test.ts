import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardData } from '../src/dashboard/dashboard-data.js';
import type { Bundle, Flag } from '../src/fhir/types.js';
import { observeViewDelivered } from '../src/pipeline/alert-latency.js';
import { allSources } from '../mappings/index.js';
import { serveWorkerMetrics } from '../src/gateway/metrics-server.js';
import { silentLogger } from '../src/observability/logger.js';
import { QUEUES } from '../src/queue/names.js';
import type { Rule } from '../src/rules/rule.js';
import { openRuntime } from '../src/runtime/open-runtime.js';
import type { Runtime } from '../src/runtime/runtime.js';
import { startWorkers } from '../workers/index.js';
import { ADMIN_TOKEN, startHarness, type Harness, type Mode } from './support/harness.js';
import { testNhsNumber } from './support/nhs.js';
import { parsePrometheus, sample, total, type Sample } from './support/prometheus.js';
import { recordWithBruise } from './support/records.js';

const COMMISSIONER = 'obs-commissioner-token';
const INGEST_ONLY = 'obs-ingest-token';
const EHR = 'http://ehr.observability.test';

/** Health visiting answers, the GP practice refuses (a 4xx parks the delivery at once). */
const ehr = setupServer(
  http.post(`${EHR}/hv*`, async ({ request }) => {
    const body = (await request.json()) as Bundle;
    return HttpResponse.json({ resourceType: 'Bundle', type: 'transaction-response', entry: (body.entry ?? []).map(() => ({ response: { status: '200 OK' } })) });
  }),
  http.post(`${EHR}/gp*`, () => HttpResponse.json({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'business-rule' }] }, { status: 422 })),
);

const config = {
  clients: [
    { id: 'ccg', token: COMMISSIONER, roles: ['commissioner'] },
    { id: 'badgernet', token: INGEST_ONLY, roles: ['ingest:maternity'] },
  ],
  recipients: [
    { id: 'hv-south', kind: 'health-visiting', name: 'Southampton Health Visiting', endpoint: { baseUrl: `${EHR}/hv` }, routing: { postcodePrefixes: ['SO16'] } },
    { id: 'gp-j82001', kind: 'gp-practice', name: 'Shirley Health Partnership', endpoint: { baseUrl: `${EHR}/gp` }, routing: { gpPractices: ['J82001'] } },
  ],
};

describe.each<Mode>(['scaled', 'embedded'])('metrics, dashboard and replay (%s)', (mode) => {
  let h: Harness;
  let nhs: string[];
  let rejectedId: string;
  const metrics = async (token = COMMISSIONER): Promise<Sample[]> => {
    h.rt.metrics.figures!.invalidate();
    const res = await h.request('/metrics', { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheus(await res.text());
  };

  beforeAll(async () => {
    ehr.listen({ onUnhandledRequest: 'bypass' });
    h = await startHarness(mode, { config });
    const base = mode === 'scaled' ? 400 : 420;
    nhs = Array.from({ length: 6 }, (_, i) => testNhsNumber(base + i));
    // Two families in the area (health visiting and the GP), one outside it (no recipient at all).
    await h.postRecord('maternity', recordWithBruise({ recordId: `OBS-${mode}-1`, motherNhs: nhs[0]!, babyNhs: nhs[1]!, ageDays: 10 }));
    await h.postRecord('maternity', recordWithBruise({ recordId: `OBS-${mode}-2`, motherNhs: nhs[2]!, babyNhs: nhs[3]!, ageDays: 20 }));
    await h.postRecord('maternity', recordWithBruise({ recordId: `OBS-${mode}-3`, motherNhs: nhs[4]!, babyNhs: nhs[5]!, ageDays: 30, gp: 'X99999', postcode: 'BH1 1AA' }));
    const bad = recordWithBruise({ recordId: `OBS-${mode}-BAD`, motherNhs: '1234567890', babyNhs: nhs[1]!, ageDays: 5 });
    const rejected = await h.postRecord('maternity', bad);
    expect(rejected.status).toBe(422);
    rejectedId = ((await h.request(`/admin/messages?status=rejected&source=maternity`).then((r) => r.json())) as { messages: Array<{ messageId: string }> }).messages[0]!.messageId;
    await h.settle();
  }, 90_000);

  afterAll(async () => {
    await h?.close();
    ehr.close();
  });

  it('serves the store\'s figures on /metrics, equal to what the store holds', async () => {
    const m = await metrics();
    const byStatus = await h.rt.messages.countByStatus();
    expect(sample(m, 'cradle_messages', { source: 'maternity', status: 'processed' })).toBe(byStatus.processed);
    expect(sample(m, 'cradle_messages', { source: 'maternity', status: 'rejected' })).toBe(1);
    expect(sample(m, 'cradle_message_failures', { source: 'maternity', status: 'rejected', code: 'CRADLE_NHS_NUMBER_INVALID' })).toBe(1);
    expect(sample(m, 'cradle_source_messages_today', { source: 'maternity' })).toBe(4);
    expect(sample(m, 'cradle_alerts_active', { rule: 'bruising-non-mobile-infant', priority: 'high' })).toBe(3);
    expect(sample(m, 'cradle_alerts_raised_30d', { rule: 'bruising-non-mobile-infant' })).toBe(3);
    expect(sample(m, 'cradle_deliveries', { recipient: 'hv-south', status: 'delivered' })).toBe(2);
    expect(sample(m, 'cradle_deliveries_parked', { recipient: 'gp-j82001' })).toBe(2);
    expect(sample(m, 'cradle_delivery_attempts_24h', { recipient: 'gp-j82001', outcome: 'failure' })).toBe(2);
    expect(sample(m, 'cradle_delivery_attempts_24h', { recipient: 'hv-south', outcome: 'success' })).toBe(2);
    expect(sample(m, 'cradle_identity_reviews_open')).toBe(0);
    // The family outside the area: its alert is held by no recipient.
    expect(sample(m, 'cradle_alerts_unrouted')).toBe(1);
    expect(sample(m, 'cradle_queue_outstanding', { queue: 'map' })).toBe(0);
    expect(sample(m, 'cradle_queue_jobs', { queue: 'deliver', state: 'waiting' })).toBe(0);
    // Two flagged births reached health visiting within seconds; the third has no team and is under a day old.
    expect(sample(m, 'cradle_coverage_flagged_births', { state: 'covered' })).toBe(2);
    expect(sample(m, 'cradle_coverage_flagged_births', { state: 'awaiting' })).toBe(1);
    expect(sample(m, 'cradle_coverage_hv_within_day_ratio')).toBe(1);
    expect(sample(m, 'cradle_alert_latency_samples', { path: 'ingest_to_flag' })).toBe(3);
    expect(sample(m, 'cradle_alert_latency_samples', { path: 'flag_to_delivered' })).toBe(2);
    const p50 = sample(m, 'cradle_alert_latency_seconds', { path: 'ingest_to_flag', quantile: '0.5' })!;
    expect(p50).toBeGreaterThan(0);
    expect(p50).toBeLessThan(60);
  });

  it('serves this process\'s own instruments, observed where the work happened', async () => {
    const m = await metrics();
    expect(sample(m, 'cradle_ingest_messages_total', { source: 'maternity', result: 'accepted' })).toBe(3);
    expect(sample(m, 'cradle_ingest_messages_total', { source: 'maternity', result: 'rejected' })).toBe(1);
    expect(sample(m, 'cradle_map_messages_total', { source: 'maternity', status: 'processed' })).toBe(3);
    expect(sample(m, 'cradle_alerts_raised_total', { rule: 'bruising-non-mobile-infant', priority: 'high' })).toBe(3);
    expect(sample(m, 'cradle_ingest_to_flag_seconds_count', { rule: 'bruising-non-mobile-infant' })).toBe(3);
    expect(sample(m, 'cradle_flag_to_delivered_seconds_count', { recipient_kind: 'health-visiting' })).toBe(2);
    expect(sample(m, 'cradle_flag_to_delivered_seconds_count', { recipient_kind: 'gp-practice' })).toBeUndefined();
    expect(total(m, 'cradle_job_duration_seconds_count', { queue: 'map', outcome: 'ok' })).toBe(3);
    expect(total(m, 'cradle_job_duration_seconds_count', { queue: 'deliver' })).toBeGreaterThanOrEqual(4);
    // Every map job ran in some batch: the batches' sizes add up to the jobs.
    expect(sample(m, 'cradle_batch_jobs_sum', { queue: 'map' })).toBe(3);
    expect(sample(m, 'cradle_batch_jobs_count', { queue: 'map' })).toBeGreaterThanOrEqual(1);
  });

  it('counts a Flag as delivered once each time it is raised, however often its family is pushed again', async () => {
    const hv = h.rt.config.recipients.find((r) => r.id === 'hv-south')!;
    const flagId = `obs-${mode}-repeat`;
    const flag = { resourceType: 'Flag', id: flagId, status: 'active', period: { start: '2026-01-01T09:00:00.000Z' } } as Flag;
    const deliver = (now: string) => h.rt.db.transaction(async (tx) => {
      const previous = await h.rt.alertStates.delivered(tx, hv.id, [flagId], now);
      observeViewDelivered(h.rt, hv, [flag], previous, now);
      return previous;
    });
    const count = async () => sample(await metrics(), 'cradle_flag_to_delivered_seconds_count', { recipient_kind: 'health-visiting' }) ?? 0;
    const before = await count();
    expect((await deliver('2026-01-01T10:00:00.000Z')).get(flagId)).toBeNull();
    expect((await deliver('2026-01-01T11:00:00.000Z')).get(flagId)).toBe('2026-01-01T10:00:00.000Z');
    expect(await count()).toBe(before + 1);
    // Raised again after it last reached the recipient: the next push is a first delivery again.
    flag.period = { start: '2026-01-02T09:00:00.000Z' };
    await deliver('2026-01-02T09:30:00.000Z');
    expect(await count()).toBe(before + 2);
    // The acknowledgement loop keeps the first delivery ever.
    expect((await h.rt.alertStates.forFlag(flagId))[0]).toMatchObject({ deliveredAt: expect.stringMatching(/^2026-01-01T10:00:00/) });
  });

  it('keeps people out of /metrics and the dashboard figures, and lets only commissioners and admins in', async () => {
    const text = await (await h.request('/metrics', { token: COMMISSIONER })).text();
    const json = await (await h.request('/dashboard/data.json', { token: COMMISSIONER })).text();
    for (const body of [text, json]) {
      for (const n of nhs) expect(body).not.toContain(n);
      expect(body).not.toMatch(/SO16|BH1|1995-01-01|birthDate|familyKey/);
    }
    expect((await h.request('/metrics', { token: null })).status).toBe(401);
    expect((await h.request('/metrics', { token: INGEST_ONLY })).status).toBe(403);
    expect((await h.request('/metrics', { token: ADMIN_TOKEN })).status).toBe(200);
    expect((await h.request('/dashboard/data.json', { token: INGEST_ONLY })).status).toBe(403);
  });

  it('gives the dashboard the same figures as /metrics', async () => {
    const m = await metrics();
    const d = (await (await h.request('/dashboard/data.json', { token: COMMISSIONER })).json()) as DashboardData;
    expect(d.tiles.activeAlerts).toBe(total(m, 'cradle_alerts_active'));
    expect(d.tiles.highPriorityAlerts).toBe(total(m, 'cradle_alerts_active', { priority: 'high' }));
    expect(d.tiles.rejected).toBe(total(m, 'cradle_messages', { status: 'rejected' }));
    expect(d.tiles.parked).toBe(total(m, 'cradle_deliveries_parked'));
    expect(d.tiles.alertsUnrouted).toBe(sample(m, 'cradle_alerts_unrouted'));
    expect(d.tiles.alertsUnrouted).toBe(1);
    expect(d.tiles.coveragePercent).toBe(100);
    expect(d.tiles.ingestToFlagMedianSeconds).toBe(sample(m, 'cradle_alert_latency_seconds', { path: 'ingest_to_flag', quantile: '0.5' }));
    expect(d.sources.find((s) => s.source === 'maternity')).toMatchObject({ freshness: 'fresh', today: 4, total: 4, rejected: 1, failed: 0 });
    expect(d.recipients.map((r) => [r.recipient, r.delivered, r.parked])).toEqual([['hv-south', 2, 0], ['gp-j82001', 0, 2]]);
    const active = d.charts.activeAlerts;
    expect(active.keys).toEqual(['bruising-non-mobile-infant']);
    expect(active.labels).toEqual(['Bruising or injury in a non-mobile infant']);
    expect(active.series.find((s) => s.key === 'high')!.data).toEqual([3]);
    expect(d.charts.alertsOverTime.series[0]!.data.at(-1)).toBe(3);
    expect(d.charts.volume.series.find((s) => s.key === 'maternity')!.data.at(-1)).toBe(4);
  });

  it('signs a browser in with a token exchanged for a session cookie, with a strict Content-Security-Policy', async () => {
    const anonymous = await h.request('/dashboard', { token: null });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/dashboard/login?next=%2Fdashboard');
    const login = await h.request('/dashboard/login', { token: null });
    expect(await login.text()).toMatch(/<form method="post" action="\/dashboard\/login"/);

    const wrong = await h.request('/dashboard?token=nope', { token: null });
    expect(wrong.status).toBe(401);
    const exchanged = await h.request(`/dashboard?token=${COMMISSIONER}`, { token: null });
    expect(exchanged.status).toBe(303);
    expect(exchanged.headers.get('location')).toBe('/dashboard');
    const setCookie = exchanged.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^cradle_session=[\w-]{43}; Max-Age=28800; Path=\/; HttpOnly; SameSite=Lax$/);
    const cookie = setCookie.split(';')[0]!;

    const page = await h.request('/dashboard', { token: null, headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toMatch(/data-figure="active-alerts">3</);
    expect(html).toMatch(/data-figure="parked">2</);
    expect(html).toMatch(/tile--alert[^>]*>\s*<span class="tile__value" data-figure="alerts-unrouted">1</);
    expect(html).not.toMatch(/<script>|style="/);
    expect(html).not.toContain('href="/dashboard/queues"'); // the queue board is for admins
    const form = await h.request('/dashboard/login', {
      token: null, method: 'POST', body: new URLSearchParams({ token: COMMISSIONER, next: 'https://evil.example/' }),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.headers.get('location')).toBe('/dashboard');

    await h.request('/dashboard/logout', { token: null, method: 'POST', headers: { cookie } });
    expect((await h.request('/dashboard/data.json', { token: null, headers: { cookie } })).status).toBe(401);
  });

  it('serves Chart.js and the page\'s own script from the gateway (no CDN)', async () => {
    const chart = await h.request('/dashboard/assets/chart.umd.min.js', { token: null });
    expect(chart.status).toBe(200);
    expect(chart.headers.get('content-type')).toMatch(/javascript/);
    expect(await chart.text()).toMatch(/Chart\.js v4/);
    expect((await h.request('/dashboard/assets/dashboard.js', { token: null })).status).toBe(200);
    expect((await h.request('/dashboard/assets/..%2Fpackage.json', { token: null })).status).toBe(404);
  });

  it('shows the detail behind the counts: rejected messages with codes and paths, parked deliveries without families', async () => {
    const failures = await (await h.request('/dashboard/failures?status=rejected&source=maternity', { token: COMMISSIONER })).text();
    expect(failures).toContain(rejectedId);
    expect(failures).toContain('CRADLE_NHS_NUMBER_INVALID');
    expect(failures).not.toContain('1234567890');
    const parked = await (await h.request('/dashboard/parked?recipient=gp-j82001', { token: COMMISSIONER })).text();
    expect(parked.match(/<tr data-recipient="gp-j82001">/g)).toHaveLength(2);
    expect(parked).toContain('CRADLE_RECIPIENT_REJECTED');
  });

  it('shows operators the queue board (bull-board on Redis), or says why there is none', async () => {
    expect((await h.request('/dashboard/queues', { token: COMMISSIONER })).status).toBe(403);
    if (mode === 'scaled') {
      const board = await h.request('/dashboard/queues', { token: ADMIN_TOKEN });
      expect(board.status).toBe(200);
      expect(await board.text()).toMatch(/Cradle queues/);
      const api = (await (await h.request('/dashboard/queues/api/queues', { token: ADMIN_TOKEN })).json()) as { queues: Array<{ name: string }> };
      expect(api.queues.map((q) => q.name)).toEqual(expect.arrayContaining(['map', 'assess', 'deliver']));
    } else {
      const page = await (await h.request('/dashboard/queues', { token: ADMIN_TOKEN })).text();
      expect(page).toMatch(/in-process queue/);
    }
  });

  it('replays a date range and reports each message\'s progress', async () => {
    const before = await h.rt.messages.countByStatus();
    const since = new Date(Date.now() - 3600_000).toISOString();
    const res = await h.request(`/admin/replay?since=${encodeURIComponent(since)}&source=maternity&limit=2`, { method: 'POST' });
    expect(res.status).toBe(202);
    const first = (await res.json()) as { replayed: number; messageIds: string[]; next: string };
    expect(first.replayed).toBe(2);
    const rest = (await (await h.request(`/admin/replay?since=${encodeURIComponent(since)}&source=maternity&after=${first.next}`, { method: 'POST' })).json()) as { replayed: number; messageIds: string[]; next: string | null };
    expect(rest).toMatchObject({ replayed: 2, next: null });
    const ids = [...first.messageIds, ...rest.messageIds];
    expect(new Set(ids).size).toBe(4);
    await h.settle();
    const progress = await h.request('/admin/messages/progress', { method: 'POST', body: JSON.stringify({ messageIds: ids }), headers: { 'content-type': 'application/json' } });
    expect(await progress.json()).toEqual({ received: 0, processed: 3, rejected: 1, failed: 0 });
    expect(await h.rt.messages.countByStatus()).toEqual(before);
    expect((await h.request('/admin/replay', { method: 'POST' })).status).toBe(422);
  });
});

describe('a rule that throws (embedded)', () => {
  let h: Harness;
  const throwing: Rule = {
    id: 'test-throwing-rule', version: '1', title: 'Throws', protocol: { name: 'none', url: 'https://example.org/none', learning: 'none' },
    settings: { schema: {}, defaults: {} },
    evaluate: () => {
      throw new Error('boom');
    },
  };

  beforeAll(async () => {
    h = await startHarness('embedded');
    Object.assign(h.rt, { rules: [...h.rt.rules, throwing] });
    await h.postRecord('maternity', recordWithBruise({ recordId: 'OBS-THROW', motherNhs: testNhsNumber(440), babyNhs: testNhsNumber(441), ageDays: 10 }));
    await h.settle();
  }, 60_000);
  afterAll(() => h?.close());

  it('counts the failure and the error Flag it raised', async () => {
    h.rt.metrics.figures!.invalidate();
    const m = parsePrometheus(await (await h.request('/metrics')).text());
    expect(sample(m, 'cradle_rule_failures_total', { rule: 'test-throwing-rule' })).toBe(1);
    expect(sample(m, 'cradle_alerts_active', { rule: 'rule-error', priority: 'high' })).toBe(1);
  });
});

/** The scaled-out shape in miniature: a gateway runtime without workers, and a worker runtime beside it on the same store and Redis. */
describe('a worker\'s own metrics on METRICS_PORT (scaled)', () => {
  let h: Harness;
  let worker: Runtime;
  let stopSweep: () => void;
  let server: { port: number; close: () => Promise<void> };

  beforeAll(async () => {
    h = await startHarness('scaled', { workers: false });
    worker = await openRuntime(h.rt.config, silentLogger(), { sources: allSources() });
    stopSweep = await startWorkers(worker, QUEUES);
    server = await serveWorkerMetrics(worker, 0);
    await h.postRecord('maternity', recordWithBruise({ recordId: 'OBS-WORKER', motherNhs: testNhsNumber(450), babyNhs: testNhsNumber(451), ageDays: 10 }));
    await h.settle();
  }, 60_000);
  afterAll(async () => {
    stopSweep?.();
    await server?.close();
    await worker?.close();
    await h?.close();
  });

  it('serves the worker\'s instruments there, and leaves the store\'s figures to the gateways', async () => {
    const url = `http://127.0.0.1:${server.port}/metrics`;
    expect((await fetch(url)).status).toBe(401);
    const w = parsePrometheus(await (await fetch(url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text());
    expect(total(w, 'cradle_job_duration_seconds_count', { queue: 'map', outcome: 'ok' })).toBe(1);
    expect(sample(w, 'cradle_alerts_raised_total', { rule: 'bruising-non-mobile-infant', priority: 'high' })).toBe(1);
    expect(w.some((x) => x.name === 'cradle_messages')).toBe(false);

    h.rt.metrics.figures!.invalidate();
    const g = parsePrometheus(await (await h.request('/metrics')).text());
    expect(sample(g, 'cradle_messages', { source: 'maternity', status: 'processed' })).toBe(1);
    expect(sample(g, 'cradle_alerts_active', { rule: 'bruising-non-mobile-infant', priority: 'high' })).toBe(1);
    expect(sample(g, 'cradle_ingest_messages_total', { source: 'maternity', result: 'accepted' })).toBe(1);
    expect(total(g, 'cradle_job_duration_seconds_count')).toBe(0);
  });
});
