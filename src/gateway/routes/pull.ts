import { Hono } from 'hono';
import type { PullSource } from '../../config/config.js';
import { CradleError } from '../../fhir/outcome.js';
import { BearerTokens } from '../../http/bearer-tokens.js';
import { parseJson } from '../../ingest/json-contract.js';
import { fetchPregnancy } from '../../ingest/pull/fetch-pregnancy.js';
import { acceptMessages } from '../../pipeline/accept-message.js';
import type { Runtime } from '../../runtime/runtime.js';
import { limitBody } from '../body-limit.js';
import { hasRole, type GatewayEnv } from '../context.js';
import { FHIR_JSON } from '../errors.js';

const PULL_SOURCES: readonly PullSource[] = ['maternity-fhir'];

/**
 * `POST /ingest/{source}/notify`: a source system's webhook says a record changed; Cradle
 * fetches the record from the system's FHIR API (`pull` in CRADLE_CONFIG) and accepts
 * the fetched copy exactly as if it had been posted to /ingest/{source}: stored before the
 * answer, then mapped. Body: `{"pregnancyId": "<the pregnancy EpisodeOfCare's id on the
 * maternity system>"}`. Answers as ingest does (202, 200 for a copy already held, 4xx
 * with the OperationOutcome when the copy is refused); 502/503 when the fetch fails, with
 * nothing stored, so the system's own webhook retry is what tries again.
 */
export function pullRoutes(rt: Runtime): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const tokens = new BearerTokens();

  app.post('/:source/notify', limitBody(16 * 1024), async (c) => {
    const source = c.req.param('source') as PullSource;
    const adapter = rt.sources.get(source);
    if (!adapter || !PULL_SOURCES.includes(source)) throw new CradleError('CRADLE_UNKNOWN_SOURCE', { diagnostics: `${source} has no pull connector` });
    if (!hasRole(c.get('principal'), `ingest:${source}`)) throw new CradleError('CRADLE_FORBIDDEN', { diagnostics: `requires role ingest:${source}` });
    const endpoint = rt.config.pull[source];
    if (!endpoint) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: `pull.${source} is not configured in CRADLE_CONFIG` });
    const { pregnancyId } = notification(Buffer.from(await c.req.arrayBuffer()));
    const copy = await fetchPregnancy(endpoint, tokens, pregnancyId, rt.clock());
    const [accepted] = await acceptMessages(rt, { adapter, body: Buffer.from(JSON.stringify(copy)), mediaType: 'application/fhir+json', clientId: c.get('principal').clientId }, c.get('log'));
    const location = `/ingest/messages/${accepted!.message.id}`;
    c.header('Location', location);
    if (accepted!.outcome) return c.body(JSON.stringify(accepted!.outcome), accepted!.status as 422, { 'content-type': FHIR_JSON });
    return c.json({ messageId: accepted!.message.id, status: accepted!.message.status, location, ...(accepted!.duplicate ? { duplicate: true } : {}) }, accepted!.status as 202);
  });

  return app;
}

function notification(body: Buffer): { pregnancyId: string } {
  const value = parseJson(body) as { pregnancyId?: unknown } | null;
  const id = value?.pregnancyId;
  if (typeof id !== 'string' || !/^[A-Za-z0-9\-.]{1,64}$/.test(id)) {
    throw new CradleError(id === undefined ? 'CRADLE_INPUT_MISSING' : 'CRADLE_INPUT_INVALID', { expression: ['$.pregnancyId'],
      diagnostics: '$.pregnancyId must be the id (FHIR id syntax) of the pregnancy EpisodeOfCare on the maternity system' });
  }
  return { pregnancyId: id };
}
