import { Hono } from 'hono';
import { CradleError } from '../../fhir/outcome.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { GatewayEnv } from '../context.js';
import { acceptAndAcknowledge, ER7_MEDIA_TYPE, wantsEr7 } from '../hl7-acks.js';
import { checkRequest } from './ingest.js';

/**
 * `POST /ingest/{source}` for an HL7 v2 source when the caller asks for
 * `Accept: x-application/hl7-v2+er7`: the same acceptance as every source (committed
 * before answering), answered with HL7 ACKs instead of JSON — one per message, in order.
 * HTTP statuses are those of the JSON answer (202 new, 200 already had, 4xx rejected) so
 * monitoring reads every source alike; the ACK carries the HL7 meaning (AA, AE, AR).
 * Any other request falls through to the generic ingest route.
 */
export function hl7AckRoutes(rt: Runtime): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  app.post('/:source', async (c, next) => {
    const adapter = rt.sources.get(c.req.param('source'));
    if (!wantsEr7(c.req.header('accept')) || !adapter?.mediaTypes.includes(ER7_MEDIA_TYPE)) return next();
    checkRequest(rt, c);
    const body = await readBody(c.req.raw, adapter.maxBodyBytes ?? rt.config.limits.maxBodyBytes, adapter.name);
    const acked = await acceptAndAcknowledge(rt, adapter, body, c.get('principal').clientId, c.get('log'));
    const first = acked[0]!.accepted;
    if (acked.length === 1) {
      c.header('Location', `/ingest/messages/${first.message.id}`);
      c.header('X-Cradle-Message-Id', first.message.id);
    }
    const statuses = acked.map((a) => a.accepted.status);
    const status = acked.length === 1 ? first.status : statuses.includes(202) ? 202 : acked.every((a) => a.accepted.outcome) ? 422 : 200;
    return c.body(acked.map((a) => a.ack).join(''), status as 202, { 'content-type': `${ER7_MEDIA_TYPE}; charset=utf-8` });
  });

  return app;
}

/** The body, refused with 413 as soon as it passes `max` bytes (by Content-Length, else while streaming). */
async function readBody(req: Request, max: number, source: string): Promise<Buffer> {
  const tooLarge = () => new CradleError('CRADLE_PAYLOAD_TOO_LARGE', { diagnostics: `${source} bodies are limited to ${max} bytes` });
  if (Number(req.headers.get('content-length') ?? 0) > max) throw tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body?.getReader();
  for (;;) {
    const next = await reader?.read();
    if (!next || next.done) break;
    size += next.value.byteLength;
    if (size > max) {
      await reader!.cancel();
      throw tooLarge();
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}
