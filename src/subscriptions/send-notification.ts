import { CradleError } from '../fhir/outcome.js';
import type { Bundle } from '../fhir/types.js';
import type { SubscriptionSpec } from './subscription-request.js';

/**
 * POSTs a notification Bundle to a rest-hook endpoint (IG, Channels: the content type is the
 * subscription's payload MIME type; each channel header is sent as a request header). Sorts
 * failures as pushes do: 5xx, 408, 429, timeouts and refused connections are transient
 * (retried with backoff); any other 4xx, or a redirect (not followed: the endpoint is the one
 * the subscriber named), is permanent. Diagnostics name the subscription, never the URL,
 * which may carry secrets.
 */
export async function postNotification(subscriptionId: string, spec: SubscriptionSpec, bundle: Bundle): Promise<number> {
  const headers = new Headers(spec.headers);
  headers.set('content-type', spec.payloadMimeType);
  let res: Response;
  try {
    res = await fetch(spec.endpoint, {
      method: 'POST', headers, body: JSON.stringify(bundle), redirect: 'manual', signal: AbortSignal.timeout(spec.timeoutSeconds * 1000),
    });
  } catch (err) {
    const why = (err as Error).name === 'TimeoutError' ? `timed out after ${spec.timeoutSeconds} s` : 'was unreachable';
    throw new CradleError('CRADLE_SUBSCRIBER_UNAVAILABLE', { diagnostics: `the endpoint of Subscription/${subscriptionId} ${why}` }, { cause: err });
  }
  // Only the status counts; the body is dropped unread (not awaited: a subscriber's body cannot hold us up).
  void res.body?.cancel().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return res.status;
  const diagnostics = `the endpoint of Subscription/${subscriptionId} answered ${res.status}`;
  if (res.status >= 500 || res.status === 408 || res.status === 429) throw new CradleError('CRADLE_SUBSCRIBER_UNAVAILABLE', { diagnostics });
  throw new CradleError('CRADLE_SUBSCRIBER_REJECTED', { diagnostics });
}
