import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { asCradleError, CradleError } from '../fhir/outcome.js';
import type { GatewayEnv } from './context.js';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Sends a CradleError as an OperationOutcome with the status of its most severe issue. */
export function outcomeResponse(c: Context, error: CradleError): Response {
  return c.body(JSON.stringify(error.toOutcome()), error.status as ContentfulStatusCode, { 'content-type': FHIR_JSON });
}

/**
 * The one error handler: anything thrown becomes an OperationOutcome. Unexpected errors
 * are logged with the request id (never the body) and answered with a generic 500.
 */
export const onError: ErrorHandler<GatewayEnv> = (err, c) => {
  let error: CradleError;
  if (err instanceof HTTPException && err.status === 413) error = new CradleError('CRADLE_PAYLOAD_TOO_LARGE');
  else error = asCradleError(err);
  const log = c.get('log');
  if (error.status >= 500) log?.error({ err }, 'request failed');
  else log?.info({ status: error.status, codes: error.issues.map((i) => i.code) }, 'request refused');
  return outcomeResponse(c, error);
};

export const onNotFound: NotFoundHandler<GatewayEnv> = (c) =>
  outcomeResponse(c, new CradleError('CRADLE_NOT_FOUND', { diagnostics: `no route ${c.req.method} ${c.req.path}` }));
