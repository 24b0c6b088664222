import { Hono, type Context } from 'hono';
import { CradleError } from '../../fhir/outcome.js';
import { acceptMessages, type Accepted } from '../../pipeline/accept-message.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { MessageSummary } from '../../store/message-store.js';
import { readPackageJson } from '../../util/package-root.js';
import { limitBody, mediaTypeOf } from '../body-limit.js';
import { hasRole, type GatewayEnv } from '../context.js';
import { FHIR_JSON } from '../errors.js';

/**
 * `POST /ingest/{source}`: the raw message is committed to the inbound store before the
 * answer. Valid → 202 and a map job; the same bytes again → 200 with the same message
 * id; invalid → 4xx OperationOutcome pointing at the field, and the message kept as
 * `rejected` for replay after a fix. A batch (several messages in one body) answers with
 * one entry per message.
 */
export function ingestRoutes(rt: Runtime): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();

  app.get('/messages/:id', async (c) => {
    const message = await rt.messages.summary(c.req.param('id'));
    if (!message || !hasRole(c.get('principal'), `ingest:${message.source}`)) {
      throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: 'no such message' });
    }
    return c.json(describe(message));
  });

  app.get('/:source/contract', (c) => {
    const adapter = rt.sources.get(c.req.param('source'));
    if (!adapter?.contractPath) throw new CradleError('CRADLE_UNKNOWN_SOURCE', { diagnostics: `no published contract for ${c.req.param('source')}` });
    return c.json(readPackageJson(adapter.contractPath));
  });

  // Each source's own limit (a CIN census return may be far larger than a maternity record),
  // applied before reading: a declared length over it is refused at once, and a chunked
  // body as soon as it passes it.
  const limitFor = (source: string) => rt.sources.get(source)?.maxBodyBytes ?? rt.config.limits.maxBodyBytes;
  const limiters = new Map([...rt.sources.keys()].map((name) => [name, limitBody(limitFor(name))]));
  const fallback = limitBody(rt.config.limits.maxBodyBytes);
  app.post('/:source', (c, next) => (limiters.get(c.req.param('source')) ?? fallback)(c, next), async (c) => {
    const { adapter, mediaType } = checkRequest(rt, c);
    const limit = limitFor(adapter.name);
    const declared = Number(c.req.header('content-length'));
    const tooLarge = () => new CradleError('CRADLE_PAYLOAD_TOO_LARGE', { diagnostics: `${adapter.name} bodies are limited to ${limit} bytes` });
    if (Number.isFinite(declared) && declared > limit) throw tooLarge();
    const body = Buffer.from(await c.req.arrayBuffer());
    if (body.length > limit) throw tooLarge();
    const accepted = await acceptMessages(rt, { adapter, body, mediaType, clientId: c.get('principal').clientId }, c.get('log'));
    return respond(c, accepted);
  });

  return app;
}

/** The adapter, after checking the source exists, the caller may send to it, and the media type. */
export function checkRequest(rt: Runtime, c: Context<GatewayEnv>) {
  const source = c.req.param('source') ?? '';
  const adapter = rt.sources.get(source);
  if (!adapter) throw new CradleError('CRADLE_UNKNOWN_SOURCE', { diagnostics: `unknown source ${source}` });
  if (!hasRole(c.get('principal'), `ingest:${source}`)) throw new CradleError('CRADLE_FORBIDDEN', { diagnostics: `requires role ingest:${source}` });
  const mediaType = mediaTypeOf(c.req.header('content-type'));
  if (!adapter.mediaTypes.includes(mediaType)) {
    throw new CradleError('CRADLE_UNSUPPORTED_MEDIA_TYPE', { diagnostics: `${source} takes ${adapter.mediaTypes.join(' or ')}` });
  }
  return { adapter, mediaType };
}

function respond(c: Context<GatewayEnv>, accepted: Accepted[]): Response {
  const first = accepted[0]!;
  if (accepted.length === 1) {
    const location = `/ingest/messages/${first.message.id}`;
    c.header('Location', location);
    c.header('X-Cradle-Message-Id', first.message.id);
    if (first.outcome) return c.body(JSON.stringify(first.outcome), first.status as 422, { 'content-type': FHIR_JSON });
    return c.json({ messageId: first.message.id, status: first.message.status, location, ...(first.duplicate ? { duplicate: true } : {}) }, first.status as 202);
  }
  const status = accepted.some((a) => a.status === 202) ? 202 : accepted.every((a) => a.outcome) ? 422 : 200;
  return c.json({
    messages: accepted.map((a) => ({
      messageId: a.message.id, status: a.message.status, location: `/ingest/messages/${a.message.id}`,
      ...(a.duplicate ? { duplicate: true } : {}), ...(a.outcome ? { outcome: a.outcome } : {}),
    })),
  }, status);
}

export function describe(m: MessageSummary) {
  return {
    messageId: m.id,
    source: m.source,
    status: m.status,
    receivedAt: m.receivedAt,
    updatedAt: m.updatedAt,
    ...(m.businessKey ? { record: { key: m.businessKey, version: m.businessVersion } } : {}),
    ...(m.outcome ? { outcome: m.outcome } : {}),
    resources: m.resourceRefs,
  };
}
