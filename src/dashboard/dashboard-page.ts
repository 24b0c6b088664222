import type { DashboardData } from './dashboard-data.js';
import { ago, duration, html, page, plural, type Html } from './html.js';

export interface Viewer {
  clientId: string;
  admin: boolean;
  /** Signed in with a session cookie (so a "sign out" button makes sense). */
  session: boolean;
}

const FRESHNESS_TEXT = { fresh: 'Receiving', quiet: 'Quiet for over a day', silent: 'Silent for over a week', never: 'Nothing received' } as const;

/**
 * The commissioners' dashboard: figures drawn on the server (so it reads without script), and
 * charts drawn by dashboard.js from /dashboard/data.json, refreshed every 30 seconds. Every
 * number carries `data-figure`, which the script updates and the browser test reads.
 */
export function dashboardPage(d: DashboardData, viewer: Viewer): string {
  return page({ title: 'Safeguarding data flows', charts: true, body: html`
<header class="top">
  <div>
    <h1>Cradle <span class="muted">· safeguarding data flows</span></h1>
    <p class="muted">Updated <time data-figure="generated-at" datetime="${d.generatedAt}">${d.generatedAt.replace('T', ' ').slice(0, 19)} UTC</time>
      · counts and times only, no patient-identifying data</p>
  </div>
  <nav>
    ${viewer.admin ? html`<a href="/dashboard/queues">Queues</a>` : ''}
    <a href="/metrics">Prometheus metrics</a>
    ${viewer.session ? html`<form method="post" action="/dashboard/logout"><button type="submit">Sign out</button></form>` : ''}
  </nav>
</header>
<main>
${tiles(d)}
<section aria-labelledby="h-sources">
  <h2 id="h-sources">Sources</h2>
  <div class="grid2">
    <figure class="chart"><canvas id="chart-volume" role="img" aria-label="Messages received per day by source, last 14 days"></canvas>
      <figcaption>Messages received per day, last 14 days</figcaption></figure>
    ${sourcesTable(d)}
  </div>
</section>
<section aria-labelledby="h-alerts">
  <h2 id="h-alerts">Alerts</h2>
  <div class="grid2">
    <figure class="chart"><canvas id="chart-active-alerts" role="img" aria-label="Active alerts by rule and priority"></canvas>
      <figcaption>Active alerts by rule and priority</figcaption></figure>
    <figure class="chart"><canvas id="chart-alerts-over-time" role="img" aria-label="Alerts raised per day by rule, last ${d.windowDays} days"></canvas>
      <figcaption>Alerts raised per day by rule, last ${d.windowDays} days</figcaption></figure>
  </div>
</section>
<section aria-labelledby="h-delivery">
  <h2 id="h-delivery">Delivery to health visiting, GP and social care</h2>
  <div class="grid2">
    <figure class="chart"><canvas id="chart-deliveries" role="img" aria-label="Families held by each recipient, by delivery status"></canvas>
      <figcaption>Each recipient's copies of families, by status</figcaption></figure>
    ${recipientsTable(d)}
  </div>
</section>
<section aria-labelledby="h-timeliness">
  <h2 id="h-timeliness">Timeliness and coverage</h2>
  <div class="grid2">
    <figure class="chart"><canvas id="chart-latency" role="img" aria-label="Latency percentiles in seconds"></canvas>
      <figcaption>Seconds, last ${d.windowDays} days: from a message to its alert (${plural(d.latency.ingestToFlag.count, 'alert')}),
        and from an alert to each recipient (${plural(d.latency.flagToDelivered.count, 'delivery', 'deliveries')})</figcaption></figure>
    <figure class="chart"><canvas id="chart-coverage" role="img" aria-label="Flagged births whose health visiting team had the alert within a day"></canvas>
      <figcaption>Flagged births (last ${d.windowDays} days) whose health visiting team had the alert within a day:
        <strong data-figure="coverage-covered">${d.coverage.covered}</strong> within a day,
        <strong data-figure="coverage-late">${d.coverage.late}</strong> later or not yet,
        <strong data-figure="coverage-awaiting">${d.coverage.awaiting}</strong> under a day old</figcaption></figure>
  </div>
</section>
<section aria-labelledby="h-queues">
  <h2 id="h-queues">Pipeline</h2>
  ${queuesTable(d)}
</section>
</main>` });
}

function tiles(d: DashboardData): Html {
  const t = d.tiles;
  const tile = (figure: string, value: string, label: string, o: { href?: string; tone?: 'alert' | 'warn' | 'ok' } = {}) => html`
    <${o.href ? 'a' : 'div'} class="tile ${o.tone ? `tile--${o.tone}` : ''}" ${o.href ? html`href="${o.href}"` : ''}>
      <span class="tile__value" data-figure="${figure}">${value}</span><span class="tile__label">${label}</span>
    </${o.href ? 'a' : 'div'}>`;
  return html`<section class="tiles" aria-label="Key figures">
  ${tile('active-alerts', String(t.activeAlerts), 'active alerts')}
  ${tile('high-priority-alerts', String(t.highPriorityAlerts), 'high priority', { tone: t.highPriorityAlerts > 0 ? 'alert' : 'ok' })}
  ${tile('alerts-unrouted', String(t.alertsUnrouted), 'alerts no recipient can see', { tone: t.alertsUnrouted > 0 ? 'alert' : 'ok' })}
  ${tile('messages-today', String(t.messagesToday), 'messages today')}
  ${tile('rejected', String(t.rejected), 'rejected messages', { href: '/dashboard/failures?status=rejected', tone: t.rejected > 0 ? 'warn' : 'ok' })}
  ${tile('failed', String(t.failed), 'failed messages', { href: '/dashboard/failures?status=failed', tone: t.failed > 0 ? 'alert' : 'ok' })}
  ${tile('parked', String(t.parked), 'parked deliveries', { href: '/dashboard/parked', tone: t.parked > 0 ? 'alert' : 'ok' })}
  ${tile('reviews-open', String(t.reviewsOpen), 'possible matches to review', { tone: t.reviewsOpen > 0 ? 'warn' : 'ok' })}
  ${tile('coverage-percent', t.coveragePercent === null ? '–' : `${t.coveragePercent}%`, 'flagged births with health visiting within a day')}
  ${tile('ingest-to-flag-p50', duration(t.ingestToFlagMedianSeconds), 'median message → alert')}
  ${tile('flag-to-delivered-p50', duration(t.flagToDeliveredMedianSeconds), 'median alert → recipient')}
</section>`;
}

function sourcesTable(d: DashboardData): Html {
  return html`<table class="data" aria-label="Sources">
  <thead><tr><th>Source</th><th>Last message</th><th class="num">Today</th><th class="num">All</th><th class="num">Rejected</th><th class="num">Failed</th></tr></thead>
  <tbody>${d.sources.length === 0 ? html`<tr><td colspan="6" class="muted">Nothing received yet</td></tr>` : d.sources.map((s) => html`
    <tr data-source="${s.source}">
      <th scope="row"><span class="dot dot--${s.freshness}" title="${FRESHNESS_TEXT[s.freshness]}"></span>${s.source}</th>
      <td><time datetime="${s.lastReceivedAt ?? ''}">${ago(s.lastReceivedAt, d.generatedAt)}</time></td>
      <td class="num" data-figure="source-today">${s.today}</td>
      <td class="num" data-figure="source-total">${s.total}</td>
      <td class="num">${s.rejected > 0 ? html`<a data-figure="source-rejected" href="/dashboard/failures?status=rejected&amp;source=${encodeURIComponent(s.source)}">${s.rejected}</a>` : html`<span data-figure="source-rejected">0</span>`}</td>
      <td class="num">${s.failed > 0 ? html`<a data-figure="source-failed" href="/dashboard/failures?status=failed&amp;source=${encodeURIComponent(s.source)}">${s.failed}</a>` : html`<span data-figure="source-failed">0</span>`}</td>
    </tr>`)}</tbody>
</table>`;
}

function recipientsTable(d: DashboardData): Html {
  return html`<table class="data" aria-label="Recipients">
  <thead><tr><th>Recipient</th><th class="num">Delivered</th><th class="num">Pending</th><th class="num">Parked</th><th class="num">Pushes 24 h</th><th>Last success</th></tr></thead>
  <tbody>${d.recipients.length === 0 ? html`<tr><td colspan="6" class="muted">No recipients configured</td></tr>` : d.recipients.map((r) => html`
    <tr data-recipient="${r.recipient}">
      <th scope="row"><span class="dot dot--${r.parked > 0 || (r.attempts24h.failure > 0 && r.attempts24h.success === 0) ? 'silent' : r.pending > 0 ? 'quiet' : 'fresh'}"></span>${r.name}<br><span class="muted small">${r.kind}</span></th>
      <td class="num" data-figure="recipient-delivered">${r.delivered}</td>
      <td class="num" data-figure="recipient-pending">${r.pending}</td>
      <td class="num">${r.parked > 0 ? html`<a data-figure="recipient-parked" href="/dashboard/parked?recipient=${encodeURIComponent(r.recipient)}">${r.parked}</a>` : html`<span data-figure="recipient-parked">0</span>`}</td>
      <td class="num"><span data-figure="recipient-success-24h">${r.attempts24h.success}</span> ok · <span data-figure="recipient-failure-24h">${r.attempts24h.failure}</span> failed</td>
      <td><time datetime="${r.lastSuccessAt ?? ''}">${ago(r.lastSuccessAt, d.generatedAt)}</time></td>
    </tr>`)}</tbody>
</table>`;
}

function queuesTable(d: DashboardData): Html {
  return html`<table class="data" aria-label="Queues">
  <thead><tr><th>Stage</th><th class="num">Waiting</th><th class="num">Running</th><th class="num">Retrying</th><th class="num">Outstanding in the store</th><th>Oldest outstanding</th></tr></thead>
  <tbody>${d.queues.map((q) => html`
    <tr data-queue="${q.queue}">
      <th scope="row">${q.queue}</th>
      <td class="num" data-figure="queue-waiting">${q.waiting}</td><td class="num">${q.active}</td><td class="num">${q.delayed}</td>
      <td class="num" data-figure="queue-outstanding">${q.outstanding}</td>
      <td>${q.oldestAgeSeconds === null ? '–' : duration(q.oldestAgeSeconds)}</td>
    </tr>`)}</tbody>
</table>
${d.failures.length > 0 ? html`<h3>Why messages were refused</h3>
<table class="data" aria-label="Failures by issue code">
  <thead><tr><th>Source</th><th>Status</th><th>Issue code</th><th class="num">Messages</th></tr></thead>
  <tbody>${d.failures.map((f) => html`<tr data-failure="${f.source}|${f.status}|${f.code}"><td>${f.source}</td><td>${f.status}</td><td><code>${f.code}</code></td>
    <td class="num"><a data-figure="failure-count" href="/dashboard/failures?status=${f.status}&amp;source=${encodeURIComponent(f.source)}">${f.count}</a></td></tr>`)}</tbody>
</table>` : ''}`;
}
