/** Cradle's configuration, once loaded: validated, defaults applied, deeply frozen. */
export interface Config {
  readonly port: number;
  /** PostgreSQL URL; absent means the embedded PGlite store under {@link dataDir}. */
  readonly databaseUrl: string | undefined;
  /** Redis URL; absent means the in-process queue. */
  readonly redisUrl: string | undefined;
  readonly dataDir: string;
  readonly logLevel: string;
  /** SHA-256 (hex) of CRADLE_ADMIN_TOKEN; the plaintext is not kept. */
  readonly adminTokenSha256: string | undefined;
  readonly clients: readonly ClientConfig[];
  readonly recipients: readonly RecipientConfig[];
  /** Per-rule settings, keyed by rule id; each validated against the rule's own schema. */
  readonly rules: Readonly<Record<string, RuleSettings>>;
  readonly delivery: DeliverySettings;
  /**
   * FHIR Subscriptions: when `allowedEndpoints` is set (URL prefixes: scheme, host, port and
   * path prefix), a rest-hook endpoint must fall under one, so no client can make Cradle POST
   * to an internal address. Unset: any https endpoint (plain http to loopback only, whatever the payload).
   */
  readonly subscriptions: { readonly allowedEndpoints: readonly string[] | undefined };
  readonly limits: { readonly maxBodyBytes: number; readonly requestsPerMinute: number; readonly burst: number };
  readonly store: { readonly schema: string };
  /** `lockMs`: how long a worker's claim on a job lasts without renewal; a killed worker's job runs again after it. */
  readonly queue: { readonly prefix: string; readonly attempts: number; readonly backoffMs: number; readonly lockMs: number };
  readonly recovery: { readonly sweepIntervalMs: number; readonly staleAfterMs: number };
  /** Source systems Cradle fetches records from when they notify it (`POST /ingest/{source}/notify`). */
  readonly pull: { readonly [source in PullSource]?: PullEndpoint };
  /** The HL7 v2 MLLP listener; off unless MLLP_PORT is set. */
  readonly mllp: MllpConfig;
  /** `cradle worker`'s own Prometheus endpoint (METRICS_PORT); off when unset. Gateways serve /metrics on PORT. */
  readonly metrics: { readonly port: number | undefined };
}

/**
 * MLLP has no authentication of its own (HL7 v2.5 appendix C): it is meant for a private
 * network or behind a TLS terminator. Every message is attributed to `clientId`, and
 * `allow` (when not empty) lists the remote addresses that may connect.
 */
export interface MllpConfig {
  readonly port: number | undefined;
  readonly host: string;
  readonly clientId: string;
  readonly allow: readonly string[];
}

/** A caller of the HTTP API: a source system, a recipient reading its families, an operator. */
export interface ClientConfig {
  readonly id: string;
  /** SHA-256 of a static bearer token; absent for clients that only use signed assertions. */
  readonly tokenSha256: string | undefined;
  /** Public keys for SMART Backend Services client assertions (private_key_jwt). */
  readonly jwks: { readonly keys: readonly Record<string, unknown>[] } | undefined;
  /** `admin`, `commissioner`, `ingest:<source>`, `read:<recipientId>`. */
  readonly roles: readonly string[];
  /** Requests per minute this client may make (default limits.requestsPerMinute). */
  readonly requestsPerMinute: number | undefined;
}

export type RecipientKind = 'gp-practice' | 'health-visiting' | 'social-care';

export interface RecipientConfig {
  readonly id: string;
  readonly kind: RecipientKind;
  readonly name: string;
  readonly endpoint: {
    readonly baseUrl: string;
    readonly auth: RecipientAuth;
    readonly timeoutMs: number;
  };
  readonly routing: {
    /** ODS codes of GP practices whose registered babies this recipient serves. */
    readonly gpPractices: readonly string[];
    /** Postcode prefixes ("SO16", "SO1") of the addresses this recipient serves. */
    readonly postcodePrefixes: readonly string[];
    /** An explicit caseload: NHS numbers of babies (or mothers, before birth) the team holds. */
    readonly caseload: readonly string[];
    /** Local authority codes (ONS GSS, e.g. E10000014, or DfE LA number) a social care recipient serves. */
    readonly localAuthorities: readonly string[];
  };
  /** Who the recipient's clinicians call about an alert; shown on CDS Hooks cards. */
  readonly safeguardingContacts: ReadonlyArray<{ readonly name: string; readonly phone?: string; readonly email?: string }>;
}

export type RecipientAuth =
  | { readonly type: 'none' }
  | { readonly type: 'bearer'; readonly token: string }
  | {
      readonly type: 'oauth2';
      readonly tokenUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scope?: string;
    };

export type PullSource = 'maternity-fhir';

/** A source system's FHIR API, as a pull connector calls it. */
export interface PullEndpoint {
  readonly baseUrl: string;
  readonly auth: RecipientAuth;
  readonly timeoutMs: number;
}

export interface RuleSettings {
  readonly enabled: boolean;
  readonly [setting: string]: unknown;
}

export interface DeliverySettings {
  readonly attempts: number;
  readonly backoffMs: number;
  /**
   * A delivery parked because the recipient could not be reached (down, timing out, 5xx) is
   * tried again this long after parking, and again after each further parking: an outage of
   * any length ends with every view delivered, without an operator. 0 leaves it to the operator.
   * Rejections (4xx) stay parked: sending the same view again would be refused again.
   */
  readonly retryParkedAfterMinutes: number;
  /**
   * A high-priority alert nobody has seen within `unseenAfterMinutes` is escalated: an
   * `alert-not-seen` Flag, and the family's view sent to `recipient` (e.g. the named nurse
   * for safeguarding) when one is configured.
   */
  readonly escalation: { readonly recipient: string | undefined; readonly unseenAfterMinutes: number; readonly sweepEveryMinutes: number };
}
