import type { DeliveryState } from '../store/delivery-store.js';
import { ago, html, page, type Html } from './html.js';

export interface FailedMessageRow {
  id: string; source: string; status: string; receivedAt: string; updatedAt: string; attempts: number;
  issues: Array<{ code: string; expression: string[] }>;
}

const back = html`<p><a href="/dashboard">← Dashboard</a></p>`;

/**
 * Rejected and failed messages behind a dashboard count: id, times, issue codes and the paths
 * they point at (`$.mother.birthDate`, `PID-7`) — never diagnostics, which can quote values.
 */
export function failuresPage(rows: readonly FailedMessageRow[], filter: { source?: string; status?: string }, now: string, admin: boolean): string {
  const what = `${filter.status ?? 'Rejected and failed'} messages${filter.source ? ` from ${filter.source}` : ''}`;
  return page({ title: what, body: html`
<main>
  ${back}
  <h1>${what[0]!.toUpperCase()}${what.slice(1)}</h1>
  <p class="muted">The latest ${rows.length}. ${admin ? replayHint(filter) : 'An operator can replay them once the cause is fixed.'}</p>
  <table class="data" aria-label="Messages">
    <thead><tr><th>Message</th><th>Source</th><th>Status</th><th>Received</th><th>Issues</th></tr></thead>
    <tbody>${rows.length === 0 ? html`<tr><td colspan="5" class="muted">None</td></tr>` : rows.map((m) => html`
      <tr data-message="${m.id}"><td><code>${m.id}</code></td><td>${m.source}</td><td>${m.status}</td>
        <td><time datetime="${m.receivedAt}">${ago(m.receivedAt, now)}</time></td>
        <td>${m.issues.map((i) => html`<div><code>${i.code}</code> ${i.expression.join(', ')}</div>`)}</td></tr>`)}</tbody>
  </table>
</main>` });
}

function replayHint(filter: { source?: string; status?: string }): Html {
  const flag = filter.status === 'failed' ? '--failed' : '--rejected';
  return html`After a fix, replay them with <code>cradle replay ${flag}${filter.source ? ` --source ${filter.source}` : ''}</code>,
    or one with <code>cradle replay MESSAGE_ID</code>.`;
}

/** Parked deliveries: recipient, since when, attempts and the outcome codes — not which family. */
export function parkedPage(rows: readonly DeliveryState[], names: ReadonlyMap<string, string>, recipient: string | undefined, now: string, admin: boolean): string {
  const title = `Parked deliveries${recipient ? ` to ${names.get(recipient) ?? recipient}` : ''}`;
  return page({ title, body: html`
<main>
  ${back}
  <h1>${title}</h1>
  <p class="muted">A delivery is parked after its last failed attempt (or a refusal by the recipient's system) and waits for an operator.
    ${admin ? html`Re-send with <code>POST /admin/deliveries/{recipient}/{family}/resend</code>; <code>GET /admin/deliveries?status=parked</code> lists the families.` : ''}</p>
  <table class="data" aria-label="Parked deliveries">
    <thead><tr><th>Recipient</th><th>Parked</th><th class="num">Attempts</th><th>Last outcome</th></tr></thead>
    <tbody>${rows.length === 0 ? html`<tr><td colspan="4" class="muted">None</td></tr>` : rows.map((d) => html`
      <tr data-recipient="${d.recipientId}"><td>${names.get(d.recipientId) ?? d.recipientId}</td>
        <td><time datetime="${d.updatedAt}">${ago(d.updatedAt, now)}</time></td><td class="num">${d.attempts}</td>
        <td>${(d.lastOutcome?.issue ?? []).map((i) => html`<code>${i.details?.coding?.[0]?.code ?? i.code}</code> `)}</td></tr>`)}</tbody>
  </table>
</main>` });
}

/** What /dashboard/queues says when the queue is in-process: bull-board shows BullMQ queues on Redis. */
export function noQueueBoardPage(counts: ReadonlyArray<{ queue: string; waiting: number; active: number; delayed: number; failed: number }>): string {
  return page({ title: 'Queues', body: html`
<main>
  ${back}
  <h1>Queues</h1>
  <p class="notice" role="status">The queue board (bull-board) shows BullMQ queues on Redis. This Cradle runs on the embedded
    default with its in-process queue, so there is no board to show: start it with <code>REDIS_URL</code> (and <code>DATABASE_URL</code>)
    for the scaled-out mode. Jobs in this process now:</p>
  <table class="data" aria-label="Queues">
    <thead><tr><th>Queue</th><th class="num">Waiting</th><th class="num">Running</th><th class="num">Retrying</th><th class="num">Failed</th></tr></thead>
    <tbody>${counts.map((q) => html`<tr><th scope="row">${q.queue}</th><td class="num">${q.waiting}</td><td class="num">${q.active}</td><td class="num">${q.delayed}</td><td class="num">${q.failed}</td></tr>`)}</tbody>
  </table>
</main>` });
}
