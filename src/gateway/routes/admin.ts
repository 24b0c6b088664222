import { Hono } from 'hono';
import { CradleError } from '../../fhir/outcome.js';
import { redeliver } from '../../pipeline/redeliver.js';
import type { MessageStatus } from '../../store/message-store.js';
import type { Runtime } from '../../runtime/runtime.js';
import { requireRole } from '../auth.js';
import type { GatewayEnv } from '../context.js';
import { adminIdentityRoutes } from './admin-identity.js';
import { describe } from './ingest.js';

const STATUSES = new Set(['received', 'processed', 'rejected', 'failed']);
const REPLAYABLE: readonly MessageStatus[] = ['rejected', 'failed', 'processed'];

/** Operator endpoints (admin role): message search, replay, parked deliveries and re-send. */
export function adminRoutes(rt: Runtime): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.use('*', requireRole('admin'));
  app.route('/identity', adminIdentityRoutes(rt));

  app.get('/messages', async (c) => {
    const q = c.req.query();
    const status = q.status && STATUSES.has(q.status) ? (q.status as MessageStatus) : undefined;
    const messages = await rt.messages.list({ status, source: q.source, since: q.since, until: q.until, afterId: q.after, limit: Number(q.limit ?? 100) });
    return c.json({ messages: messages.map(describe), next: messages.length ? messages.at(-1)!.id : null });
  });

  app.post('/messages/:id/replay', async (c) => {
    const id = c.req.param('id');
    if (!(await rt.messages.resetForReplay(id, rt.clock()))) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: 'no such message' });
    const message = (await rt.messages.summary(id))!;
    await rt.queue.add('map', [{ messageId: id, attempt: message.attempts }]);
    c.get('log').info({ messageId: id }, 'message replay queued');
    return c.json({ messageId: id, status: 'received', location: `/ingest/messages/${id}` }, 202);
  });

  /**
   * Replays a batch: `?status=rejected&source=maternity`, or a date range `?since=…&until=…`
   * (every finished message received in it, or only those with `status`), at most `limit`
   * (default 1000) per call, in id order; `next` is the `after` for the following page.
   */
  app.post('/replay', async (c) => {
    const q = c.req.query();
    if (q.status && !REPLAYABLE.includes(q.status as MessageStatus)) {
      throw new CradleError('CRADLE_INPUT_INVALID', { expression: ['status'], diagnostics: 'status must be rejected, failed or processed' });
    }
    if (!q.status && !q.since && !q.until) {
      throw new CradleError('CRADLE_INPUT_INVALID', { expression: ['status'], diagnostics: 'give a status (rejected, failed, processed), or a range with since and/or until' });
    }
    for (const key of ['since', 'until'] as const) {
      if (q[key] && Number.isNaN(Date.parse(q[key]!))) throw new CradleError('CRADLE_INPUT_INVALID', { expression: [key], diagnostics: `${key} must be a date or date-time` });
    }
    const limit = Math.min(Math.max(1, Number(q.limit ?? 1000) || 1000), 10_000);
    const messages = await rt.messages.list({ ...(q.status ? { status: q.status as MessageStatus } : { statuses: REPLAYABLE }),
      source: q.source, since: q.since, until: q.until, afterId: q.after, limit });
    const now = rt.clock();
    for (const m of messages) await rt.messages.resetForReplay(m.id, now);
    await rt.queue.add('map', messages.map((m) => ({ messageId: m.id, attempt: m.attempts })));
    c.get('log').info({ replayed: messages.length, source: q.source, status: q.status }, 'batch replay queued');
    return c.json({ replayed: messages.length, messageIds: messages.map((m) => m.id), next: messages.length === limit ? messages.at(-1)!.id : null }, 202);
  });

  /** How far a replay has got: `{messageIds: […]}` (up to 10,000) → how many are in each status. */
  app.post('/messages/progress', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { messageIds?: unknown };
    const ids = Array.isArray(body.messageIds) ? body.messageIds.filter((i): i is string => typeof i === 'string') : undefined;
    if (!ids || ids.length > 10_000) throw new CradleError('CRADLE_INPUT_INVALID', { expression: ['$.messageIds'], diagnostics: '$.messageIds must be an array of at most 10000 message ids' });
    return c.json(await rt.messages.statusCounts(ids));
  });

  app.get('/deliveries', async (c) => {
    const status = c.req.query('status');
    const list = await rt.deliveries.list(status === 'parked' || status === 'pending' || status === 'delivered' ? status : undefined);
    return c.json({ deliveries: list });
  });

  app.post('/deliveries/:recipientId/:familyKey/resend', async (c) => {
    const { recipientId, familyKey } = c.req.param();
    if (!rt.config.recipients.some((r) => r.id === recipientId)) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: 'no such recipient' });
    await redeliver(rt, [{ recipientId, familyKey }]);
    return c.json({ recipientId, familyKey, status: 'pending' }, 202);
  });

  return app;
}
