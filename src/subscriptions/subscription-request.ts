import type { Issue } from '../fhir/outcome.js';
import type { Extension, Subscription } from '../fhir/types.js';
import { validateResource } from '../fhir/validator.js';
import { BACKPORT, isPayloadContent, type PayloadContent, SAFEGUARDING_FLAG_TOPIC } from './backport.js';
import { type FlagFilter, parseFilterCriteria } from './filters.js';

/** What Cradle needs from an accepted Subscription to notify its subscriber. */
export interface SubscriptionSpec {
  filters: FlagFilter[];
  endpoint: string;
  /** `Subscription.channel.header`, each sent as an HTTP request header. */
  headers: Array<[string, string]>;
  payloadMimeType: string;
  content: PayloadContent;
  heartbeatSeconds: number | undefined;
  timeoutSeconds: number;
  maxCount: number;
  end: string | undefined;
  /** `off` pauses the subscription; anything else asks for (re-)activation. */
  wantsOff: boolean;
}

export const LIMITS = {
  heartbeatSeconds: { min: 1, max: 604_800 },
  timeoutSeconds: { min: 1, max: 120, default: 10 },
  maxCount: { min: 1, max: 100, default: 20 },
} as const;

const MIME_TYPES = ['application/fhir+json', 'application/json'];
const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([\x20-\x7E\t]*)$/;
const RESERVED_HEADERS = ['content-type', 'content-length', 'host', 'transfer-encoding', 'connection'];

type PrimitiveExtensions = { _criteria?: { extension?: Extension[] }; channel: { _payload?: { extension?: Extension[] } } };

/**
 * Checks a Subscription against the official R4 schema, then against what Cradle offers: the
 * safeguarding-flag topic, a `rest-hook` channel to an http(s) endpoint, an
 * `application/fhir+json` payload with a backport content code, and the backport channel
 * extensions. Every problem is reported at once, each at its FHIRPath.
 */
export function readSubscription(resource: unknown, now: string, allowedEndpoints?: readonly string[]): { spec: SubscriptionSpec } | { issues: Issue[] } {
  if ((resource as { resourceType?: unknown } | null)?.resourceType !== 'Subscription') {
    return { issues: [{ code: 'CRADLE_FHIR_INVALID', expression: ['Subscription'], diagnostics: 'the body must be a Subscription resource' }] };
  }
  const schemaIssues = validateResource(resource);
  if (schemaIssues.length > 0) return { issues: schemaIssues };
  const sub = resource as Subscription & PrimitiveExtensions;
  const issues: Issue[] = [];
  const filters = checkCriteria(sub, issues);
  const endpoint = checkEndpoint(sub, issues);
  const content = checkPayload(sub, issues);
  const headers = checkHeaders(sub.channel.header ?? [], issues);
  const numbers = checkChannelExtensions(sub.channel.extension ?? [], issues);
  if (sub.channel.type !== 'rest-hook') issues.push({ code: 'CRADLE_SUBSCRIPTION_UNSUPPORTED', expression: ['Subscription.channel.type'], diagnostics: 'Cradle notifies by rest-hook only' });
  if (sub.end !== undefined && !(Date.parse(sub.end) > Date.parse(now))) issues.push({ code: 'CRADLE_INPUT_INVALID', expression: ['Subscription.end'], diagnostics: 'end must be in the future' });
  if (sub.status === 'error') issues.push({ code: 'CRADLE_INPUT_INVALID', expression: ['Subscription.status'], diagnostics: 'a client may ask for requested, active or off; error is set by Cradle' });
  if (endpoint && allowedEndpoints && !allowedEndpoints.some((prefix) => underPrefix(endpoint, prefix))) {
    issues.push({ code: 'CRADLE_SUBSCRIPTION_UNSUPPORTED', expression: ['Subscription.channel.endpoint'], diagnostics: 'endpoint is not one this deployment notifies (subscriptions.allowedEndpoints)' });
  } else if (endpoint && !secureEnough(endpoint)) {
    // Even an empty notification says a family's alert changed, and channel headers carry the hook's secret.
    issues.push({ code: 'CRADLE_SUBSCRIPTION_UNSUPPORTED', expression: ['Subscription.channel.endpoint'], diagnostics: 'notifications about safeguarding alerts, and the channel headers, are sent over https only (plain http to a loopback address aside)' });
  }
  if (issues.length > 0 || !endpoint || !content) return { issues };
  return {
    spec: {
      filters, endpoint, headers, content, ...numbers,
      payloadMimeType: sub.channel.payload!,
      end: sub.end,
      wantsOff: sub.status === 'off',
    },
  };
}

function checkCriteria(sub: Subscription & PrimitiveExtensions, issues: Issue[]): FlagFilter[] {
  if (sub.criteria !== SAFEGUARDING_FLAG_TOPIC) {
    issues.push({ code: 'CRADLE_SUBSCRIPTION_UNSUPPORTED', expression: ['Subscription.criteria'], diagnostics: `criteria must be the topic ${SAFEGUARDING_FLAG_TOPIC}` });
  }
  const filters: FlagFilter[] = [];
  (sub._criteria?.extension ?? []).forEach((ext, i) => {
    if (ext.url !== BACKPORT.filterCriteria) return;
    const parsed = parseFilterCriteria(ext.valueString ?? '');
    if ('error' in parsed) issues.push({ code: 'CRADLE_INPUT_INVALID', expression: [`Subscription.criteria.extension[${i}].value`], diagnostics: parsed.error });
    else filters.push(...parsed.filters);
  });
  return filters;
}

function checkEndpoint(sub: Subscription, issues: Issue[]): string | undefined {
  const where = ['Subscription.channel.endpoint'];
  const raw = sub.channel.endpoint;
  if (!raw) {
    issues.push({ code: 'CRADLE_INPUT_MISSING', expression: where, diagnostics: 'a rest-hook needs the URL to POST notifications to' });
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    issues.push({ code: 'CRADLE_INPUT_INVALID', expression: where, diagnostics: 'endpoint is not an absolute URL' });
    return undefined;
  }
  const problem = url.protocol !== 'https:' && url.protocol !== 'http:' ? 'endpoint must be an https (or http) URL'
    : url.username || url.password ? 'endpoint must not carry credentials: send them in channel.header' : undefined;
  if (problem) issues.push({ code: 'CRADLE_INPUT_INVALID', expression: where, diagnostics: problem });
  return problem ? undefined : url.toString();
}

/** Same scheme, host and port as `prefix`, and a path at or under its path (whole segments). */
export function underPrefix(endpoint: string, prefix: string): boolean {
  const url = new URL(endpoint);
  const allowed = new URL(prefix);
  if (url.protocol !== allowed.protocol || url.hostname !== allowed.hostname || url.port !== allowed.port) return false;
  const base = allowed.pathname.endsWith('/') ? allowed.pathname : `${allowed.pathname}/`;
  return url.pathname === allowed.pathname || url.pathname.startsWith(base);
}

/** https always; plain http only to this machine (development, tests). */
function secureEnough(endpoint: string): boolean {
  const url = new URL(endpoint);
  return url.protocol === 'https:' || url.hostname === 'localhost' || /^127\./.test(url.hostname) || url.hostname === '[::1]';
}

function checkPayload(sub: Subscription & PrimitiveExtensions, issues: Issue[]): PayloadContent | undefined {
  if (!sub.channel.payload) {
    issues.push({ code: 'CRADLE_INPUT_MISSING', expression: ['Subscription.channel.payload'], diagnostics: 'payload must be application/fhir+json' });
  } else if (!MIME_TYPES.includes(sub.channel.payload)) {
    issues.push({ code: 'CRADLE_SUBSCRIPTION_UNSUPPORTED', expression: ['Subscription.channel.payload'], diagnostics: 'payload must be application/fhir+json' });
  }
  const where = [`Subscription.channel.payload.extension('${BACKPORT.payloadContent}')`];
  const content = (sub.channel._payload?.extension ?? []).find((e) => e.url === BACKPORT.payloadContent)?.valueCode;
  if (content === undefined) issues.push({ code: 'CRADLE_INPUT_MISSING', expression: where, diagnostics: 'say how much each notification carries: empty, id-only or full-resource' });
  else if (!isPayloadContent(content)) issues.push({ code: 'CRADLE_INPUT_INVALID', expression: where, diagnostics: 'payload content must be empty, id-only or full-resource' });
  return isPayloadContent(content) ? content : undefined;
}

function checkHeaders(headers: readonly string[], issues: Issue[]): Array<[string, string]> {
  const parsed: Array<[string, string]> = [];
  headers.forEach((h, i) => {
    const m = HEADER.exec(h);
    if (!m || RESERVED_HEADERS.includes(m[1]!.toLowerCase())) {
      issues.push({ code: 'CRADLE_INPUT_INVALID', expression: [`Subscription.channel.header[${i}]`], diagnostics: 'a header is "Name: value", and may not set Content-Type, Content-Length, Host, Transfer-Encoding or Connection' });
    } else parsed.push([m[1]!, m[2]!.trim()]);
  });
  return parsed;
}

function checkChannelExtensions(extensions: readonly Extension[], issues: Issue[]): Pick<SubscriptionSpec, 'heartbeatSeconds' | 'timeoutSeconds' | 'maxCount'> {
  const value = (url: string, name: keyof typeof LIMITS, pick: (e: Extension) => number | undefined): number | undefined => {
    const ext = extensions.find((e) => e.url === url);
    if (!ext) return undefined;
    const n = pick(ext);
    const { min, max } = LIMITS[name];
    if (n !== undefined && n >= min && n <= max) return n;
    issues.push({ code: 'CRADLE_INPUT_INVALID', expression: [`Subscription.channel.extension('${url}').value`], diagnostics: `${name} must be between ${min} and ${max}` });
    return undefined;
  };
  return {
    heartbeatSeconds: value(BACKPORT.heartbeatPeriod, 'heartbeatSeconds', (e) => e.valueUnsignedInt),
    timeoutSeconds: value(BACKPORT.timeout, 'timeoutSeconds', (e) => e.valueUnsignedInt) ?? LIMITS.timeoutSeconds.default,
    maxCount: value(BACKPORT.maxCount, 'maxCount', (e) => e.valuePositiveInt) ?? LIMITS.maxCount.default,
  };
}
