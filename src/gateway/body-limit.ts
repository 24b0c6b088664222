import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { CradleError } from '../fhir/outcome.js';
import type { GatewayEnv } from './context.js';

/** Refuses bodies over `maxBytes` with 413 before reading them (Content-Length) or as soon as the stream passes it. */
export function limitBody(maxBytes: number): MiddlewareHandler<GatewayEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new CradleError('CRADLE_PAYLOAD_TOO_LARGE', { diagnostics: `body exceeds ${maxBytes} bytes` });
    },
  });
}

/** The media type without parameters, lower-cased: `application/json; charset=utf-8` → `application/json`. */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}
