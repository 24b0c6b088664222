import { Client } from 'fhir-kit-client';
import type { RecipientConfig } from '../config/config.js';
import { CradleError } from '../fhir/outcome.js';
import type { Bundle } from '../fhir/types.js';
import type { RecipientAuth } from './recipient-auth.js';

export interface PushResult {
  status: number;
}

/**
 * Sends a view to a recipient's FHIR endpoint as one transaction (fhir-kit-client).
 * Sorts failures for the queue: 5xx, 408, 429, timeouts and refused connections are
 * transient (retried with backoff); other 4xx are permanent (parked for an operator);
 * 401 also drops the cached OAuth2 token so the retry fetches a fresh one.
 */
export async function pushView(recipient: RecipientConfig, view: Bundle, auth: RecipientAuth): Promise<PushResult> {
  const client = new Client({
    baseUrl: recipient.endpoint.baseUrl,
    customHeaders: { ...(await auth.header(recipient)), 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
  });
  try {
    await client.transaction({ body: view as never, options: { signal: AbortSignal.timeout(recipient.endpoint.timeoutMs) } });
    return { status: 200 };
  } catch (err) {
    const status = (err as { response?: { status?: number } }).response?.status;
    if (status === 401) auth.invalidate(recipient.id);
    if (status !== undefined && status >= 400 && status < 500 && status !== 401 && status !== 408 && status !== 429) {
      throw new CradleError('CRADLE_RECIPIENT_REJECTED', { diagnostics: `${recipient.id} answered ${status}` }, { cause: err });
    }
    const why = status !== undefined ? `answered ${status}` : (err as Error).name === 'TimeoutError' ? 'timed out' : 'was unreachable';
    throw new CradleError('CRADLE_RECIPIENT_UNAVAILABLE', { diagnostics: `${recipient.id} ${why}` }, { cause: err });
  }
}

/** The HTTP status a push error carries, when the recipient answered at all. */
export function statusOfPushError(err: unknown): number | undefined {
  const cause = (err as { cause?: { response?: { status?: number } } }).cause;
  return cause?.response?.status;
}
