import { Hono } from 'hono';
import { SYSTEM } from '../../fhir/canonical.js';
import { CradleError } from '../../fhir/outcome.js';
import { explain } from '../../identity/match-score.js';
import { decideReview, mergePersons, queueFollowUp, unmergePersons } from '../../pipeline/identity-actions.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { Review } from '../../store/identity-store.js';
import type { GatewayEnv } from '../context.js';

const REVIEW_STATUSES = new Set(['open', 'matched', 'not-matched', 'superseded']);

/**
 * Identity operations for operators (mounted under /admin, admin role): the possible-match
 * review list, decisions on it, merges and unmerges, and a person's identity history.
 * Every decision is recorded with who made it.
 */
export function adminIdentityRoutes(rt: Runtime): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const operator = (c: { get: (k: 'principal') => { clientId: string } }) => `operator:${c.get('principal').clientId}`;

  app.get('/reviews', async (c) => {
    const status = c.req.query('status') ?? 'open';
    const reviews = await rt.identity.reviews(rt.db, REVIEW_STATUSES.has(status) ? (status as Review['status']) : 'open');
    return c.json({ reviews: reviews.map((r) => ({ ...r, summary: explain(r.explanation) })) });
  });

  app.post('/reviews/:id', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { decision?: string; reason?: string };
    if (body.decision !== 'match' && body.decision !== 'no-match') {
      throw new CradleError('CRADLE_INPUT_INVALID', { expression: ['$.decision'], diagnostics: '$.decision must be match or no-match' });
    }
    const followUp = await rt.db.transaction((tx) => decideReview(rt, tx, {
      reviewId: c.req.param('id'), decision: body.decision as 'match' | 'no-match', by: operator(c), ...(body.reason ? { reason: body.reason } : {}), now: rt.clock(),
    }));
    if (followUp) await queueFollowUp(rt, followUp);
    return c.json({ reviewId: c.req.param('id'), decision: body.decision, replayed: followUp?.replay.length ?? 0 });
  });

  app.post('/merge', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { survivor?: string; merged?: string; reason?: string };
    for (const field of ['survivor', 'merged', 'reason'] as const) {
      if (!body[field]) throw new CradleError('CRADLE_INPUT_MISSING', { expression: [`$.${field}`], diagnostics: `$.${field} is required` });
    }
    const done = await rt.db.transaction((tx) => mergePersons(rt, tx, { survivor: body.survivor!, merged: body.merged!, reason: body.reason!, decidedBy: operator(c), now: rt.clock() }));
    if (!done) throw new CradleError('CRADLE_INPUT_INVALID', { diagnostics: 'survivor and merged are the same person' });
    await queueFollowUp(rt, done.followUp);
    return c.json({ mergeId: done.mergeId, replayed: done.followUp.replay.length }, 202);
  });

  app.post('/merges/:id/unmerge', async (c) => {
    const followUp = await rt.db.transaction((tx) => unmergePersons(rt, tx, c.req.param('id'), operator(c), rt.clock()));
    await queueFollowUp(rt, followUp);
    return c.json({ mergeId: c.req.param('id'), unmerged: true, replayed: followUp.replay.length }, 202);
  });

  app.get('/persons/:id', async (c) => {
    const id = c.req.param('id');
    const [identifiers, contributions, merges] = await Promise.all([
      rt.db.query<{ system: string; value: string; match_result: string; link_source: string; score: number | null }>(
        'SELECT system, value, match_result, link_source, score FROM identity_link WHERE person_id = $1 ORDER BY system, value', [id]),
      rt.identity.contributions(rt.db, id),
      rt.identity.merges(rt.db, id),
    ]);
    if (identifiers.rows.length === 0 && contributions.length === 0 && merges.length === 0) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: 'no such person' });
    // Identifiers include NHS numbers: this read is audited like any FHIR read.
    await rt.audit.record(rt.db, { interaction: 'read', action: 'R', outcome: 'success', agent: { system: SYSTEM.client, value: c.get('principal').clientId, requestor: true },
      entities: [`Patient/${id}`], detail: { 'request-id': c.get('requestId'), view: 'identity' } }, rt.clock());
    return c.json({
      personId: id,
      identifiers: identifiers.rows.map((r) => ({ system: r.system, value: r.value, matchResult: r.match_result, linkSource: r.link_source, score: r.score })),
      sources: contributions.map((x) => ({ sourceKey: x.sourceKey, updatedAt: x.updatedAt })),
      merges,
    });
  });

  return app;
}
