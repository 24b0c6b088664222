/**
 * The catalogue of Cradle issue codes: the one error currency's vocabulary.
 *
 * Every error Cradle reports — over HTTP, on a stored message, on a parked delivery —
 * is an OperationOutcome whose issues carry one of these codes in `details.coding`
 * (system {@link CS.issueCode}). Codes are stable: clients and runbooks rely on them.
 * `docs/issue-codes.md` is generated from this file (`npm run docs:issue-codes`) and a
 * test fails when the two differ.
 *
 * `retry` says whether a worker should retry the job (transient) or park it (permanent).
 */
export interface IssueCodeDef {
  /** HTTP status when this issue is the most severe one in a response. */
  readonly status: number;
  readonly severity: 'fatal' | 'error' | 'warning' | 'information';
  /** FHIR `issue-type` code. */
  readonly type: string;
  readonly title: string;
  /** What the caller should do about it. */
  readonly help: string;
  readonly retry: boolean;
}

export const ISSUE_CODES = {
  CRADLE_AUTH_REQUIRED: {
    status: 401, severity: 'error', type: 'login', retry: false,
    title: 'Authentication required',
    help: 'Send `Authorization: Bearer <token>` with a token issued for your client.',
  },
  CRADLE_AUTH_INVALID: {
    status: 401, severity: 'error', type: 'login', retry: false,
    title: 'Token not recognised',
    help: 'The bearer token matches no configured client. Check the token, or ask the operator to add your client to CRADLE_CONFIG.',
  },
  CRADLE_FORBIDDEN: {
    status: 403, severity: 'error', type: 'forbidden', retry: false,
    title: 'Not permitted for this client',
    help: 'Your client lacks the role this request needs (for example `ingest:maternity`).',
  },
  CRADLE_NOT_FOUND: {
    status: 404, severity: 'error', type: 'not-found', retry: false,
    title: 'Not found',
    help: 'No such resource, message or route.',
  },
  CRADLE_RATE_LIMITED: {
    status: 429, severity: 'error', type: 'throttled', retry: true,
    title: 'Too many requests',
    help: 'This client is over its request rate. Wait for the number of seconds in Retry-After, then send again.',
  },
  CRADLE_UNKNOWN_SOURCE: {
    status: 404, severity: 'error', type: 'not-supported', retry: false,
    title: 'Unknown source',
    help: 'POST to /ingest/{source} with a source listed in CONTRACTS.md.',
  },
  CRADLE_METHOD_NOT_ALLOWED: {
    status: 405, severity: 'error', type: 'not-supported', retry: false,
    title: 'Method not allowed',
    help: 'The FHIR API is read-only: data enters Cradle through /ingest/{source}.',
  },
  CRADLE_UNSUPPORTED_MEDIA_TYPE: {
    status: 415, severity: 'error', type: 'not-supported', retry: false,
    title: 'Unsupported media type',
    help: 'Send the Content-Type the source contract names.',
  },
  CRADLE_PAYLOAD_TOO_LARGE: {
    status: 413, severity: 'error', type: 'too-costly', retry: false,
    title: 'Body too large',
    help: 'The body exceeds limits.maxBodyBytes. Split the submission.',
  },
  CRADLE_PARSE_ERROR: {
    status: 400, severity: 'error', type: 'structure', retry: false,
    title: 'Body could not be parsed',
    help: 'The body is not well-formed for its media type (JSON, ER7 or XML). The message is kept as rejected.',
  },
  CRADLE_INPUT_MISSING: {
    status: 422, severity: 'error', type: 'required', retry: false,
    title: 'Required field missing',
    help: 'Add the field that `expression` points at, then resend or ask for a replay.',
  },
  CRADLE_INPUT_INVALID: {
    status: 422, severity: 'error', type: 'value', retry: false,
    title: 'Field has an invalid value',
    help: 'Correct the field that `expression` points at; `diagnostics` says what was expected.',
  },
  CRADLE_NHS_NUMBER_INVALID: {
    status: 422, severity: 'error', type: 'value', retry: false,
    title: 'NHS number fails the Modulus 11 check',
    help: 'The NHS number at `expression` is not a valid NHS number. Correct it or leave it out.',
  },
  CRADLE_MESSAGE_UNSUPPORTED: {
    status: 422, severity: 'error', type: 'not-supported', retry: false,
    title: 'Message type not supported',
    help: 'The message type, event, version or processing id at `expression` (HL7 v2: MSH-9, MSH-11, MSH-12; NEMS: MessageHeader.event) is not one the source reads (README, Sources). The message is kept as rejected; HL7 v2 senders get an AR acknowledgement.',
  },
  CRADLE_INPUT_INCONSISTENT: {
    status: 422, severity: 'error', type: 'invariant', retry: false,
    title: 'Fields contradict each other',
    help: 'The record refers to something it does not contain (for example a finding on baby:B2 with no baby B2).',
  },
  CRADLE_SEARCH_UNSUPPORTED: {
    status: 400, severity: 'error', type: 'not-supported', retry: false,
    title: 'Search parameter not supported',
    help: 'See /fhir/metadata for the search parameters Cradle supports.',
  },
  CRADLE_SEARCH_INVALID: {
    status: 400, severity: 'error', type: 'invalid', retry: false,
    title: 'Search parameter value invalid',
    help: 'Token parameters take `system|code` or `code`; references take `Type/id` or `id`.',
  },
  CRADLE_FHIR_INVALID: {
    status: 422, severity: 'error', type: 'structure', retry: false,
    title: 'Resource is not valid FHIR R4',
    help: 'The resource fails the official R4 JSON schema or a Cradle profile at `expression`.',
  },
  CRADLE_MAP_FAILED: {
    status: 500, severity: 'error', type: 'exception', retry: false,
    title: 'Mapping failed',
    help: 'The mapping could not turn a valid input into FHIR: a Cradle defect. The message is kept as failed; replay it after the fix.',
  },
  CRADLE_VERSION_SUPERSEDED: {
    status: 200, severity: 'information', type: 'informational', retry: false,
    title: 'Older version ignored',
    help: 'A newer version of this record was already processed; this one is kept but changes nothing.',
  },
  CRADLE_RULE_FAILED: {
    status: 500, severity: 'error', type: 'exception', retry: false,
    title: 'Safeguarding rule failed',
    help: 'A rule threw while assessing a family. An error Flag is raised on the subject so the failure is never read as "no concern".',
  },
  CRADLE_RECIPIENT_REJECTED: {
    status: 502, severity: 'error', type: 'processing', retry: false,
    title: 'Recipient rejected the view',
    help: 'The recipient answered 4xx. The delivery is parked; fix the recipient configuration and re-send it.',
  },
  CRADLE_RECIPIENT_UNAVAILABLE: {
    status: 503, severity: 'error', type: 'transient', retry: true,
    title: 'Recipient unavailable',
    help: 'The recipient answered 5xx, timed out or refused the connection. Cradle retries with backoff, then parks the delivery.',
  },
  CRADLE_SOURCE_REJECTED: {
    status: 502, severity: 'error', type: 'processing', retry: false,
    title: 'Source system refused the fetch',
    help: 'A pull connector asked a source system (a maternity system\'s FHIR API) for a record and it answered 4xx: the credentials or the record named in the notification are wrong. Fix the `pull` configuration or the notification and send it again.',
  },
  CRADLE_SOURCE_UNAVAILABLE: {
    status: 503, severity: 'error', type: 'transient', retry: true,
    title: 'Source system unavailable',
    help: 'A pull connector could not fetch from a source system (5xx, timeout, connection refused). Nothing was stored; the source system should send its notification again (or retry it).',
  },
  CRADLE_SUBSCRIPTION_UNSUPPORTED: {
    status: 422, severity: 'error', type: 'not-supported', retry: false,
    title: 'Subscription asks for something Cradle does not offer',
    help: 'Cradle offers one topic (`https://fhir.cradle.org.uk/SubscriptionTopic/safeguarding-flag`) over a `rest-hook` channel with an `application/fhir+json` payload, and sends `full-resource` payloads over https only. Change the field at `expression` (README, Subscriptions).',
  },
  CRADLE_SUBSCRIBER_REJECTED: {
    status: 502, severity: 'error', type: 'processing', retry: false,
    title: 'Subscriber endpoint refused the notification',
    help: 'The subscription\'s endpoint answered 4xx (or a redirect). The subscription is set to `error`; its events stay available through `$events`. Fix the endpoint or its headers, then update the Subscription with status `requested` to re-activate it.',
  },
  CRADLE_SUBSCRIBER_UNAVAILABLE: {
    status: 503, severity: 'error', type: 'transient', retry: true,
    title: 'Subscriber endpoint unavailable',
    help: 'The subscription\'s endpoint answered 5xx, timed out or refused the connection. Cradle retries with backoff, then sets the subscription to `error`; its events stay available through `$events`.',
  },
  CRADLE_CONFIG_INVALID: {
    status: 500, severity: 'fatal', type: 'invalid', retry: false,
    title: 'Configuration invalid',
    help: 'Fix the environment variable or CRADLE_CONFIG key that `expression` names; every problem is listed at once.',
  },
  CRADLE_NOT_READY: {
    status: 503, severity: 'error', type: 'transient', retry: true,
    title: 'Not ready',
    help: 'A dependency (store or queue) is not reachable yet.',
  },
  CRADLE_INTERNAL: {
    status: 500, severity: 'fatal', type: 'exception', retry: true,
    title: 'Internal error',
    help: 'An unexpected error. It is logged with a reference; the message is kept and retried.',
  },
} as const satisfies Record<string, IssueCodeDef>;

export type IssueCode = keyof typeof ISSUE_CODES;

export function isIssueCode(code: string): code is IssueCode {
  return Object.hasOwn(ISSUE_CODES, code);
}
