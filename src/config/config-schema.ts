/**
 * JSON Schema for the CRADLE_CONFIG YAML document. Unknown keys are rejected so a typo is
 * an error at start-up rather than a setting silently ignored.
 */
const token = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
const id = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' } as const;

const recipientAuth = {
  oneOf: [
    { type: 'object', additionalProperties: false, required: ['type'], properties: { type: { const: 'none' } } },
    {
      type: 'object', additionalProperties: false, required: ['type', 'token'],
      properties: { type: { const: 'bearer' }, token: { type: 'string', minLength: 1 } },
    },
    {
      type: 'object', additionalProperties: false, required: ['type', 'tokenUrl', 'clientId', 'clientSecret'],
      properties: {
        type: { const: 'oauth2' },
        tokenUrl: { type: 'string', format: 'uri' },
        clientId: { type: 'string', minLength: 1 },
        clientSecret: { type: 'string', minLength: 1 },
        scope: { type: 'string' },
      },
    },
  ],
} as const;

export const CONFIG_FILE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    clients: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['id', 'roles'],
        anyOf: [{ required: ['tokenSha256'] }, { required: ['jwks'] }],
        properties: {
          id,
          tokenSha256: token,
          jwks: { type: 'object', required: ['keys'], properties: { keys: { type: 'array', minItems: 1, items: { type: 'object', required: ['kty'] } } } },
          requestsPerMinute: { type: 'integer', minimum: 1, maximum: 1000000 },
          roles: {
            type: 'array', minItems: 1,
            items: { type: 'string', pattern: '^(admin|commissioner|ingest:[a-z0-9-]+|read:[A-Za-z0-9._-]+)$' },
          },
        },
      },
    },
    recipients: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false, required: ['id', 'kind', 'endpoint', 'routing'],
        properties: {
          id,
          kind: { enum: ['gp-practice', 'health-visiting', 'social-care'] },
          name: { type: 'string' },
          endpoint: {
            type: 'object', additionalProperties: false, required: ['baseUrl'],
            properties: {
              baseUrl: { type: 'string', format: 'uri', pattern: '^https?://' },
              auth: recipientAuth,
              timeoutMs: { type: 'integer', minimum: 100, maximum: 120000 },
            },
          },
          routing: {
            type: 'object', additionalProperties: false,
            properties: {
              gpPractices: { type: 'array', items: { type: 'string', pattern: '^[A-Z0-9]{3,10}$' } },
              postcodePrefixes: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z]{1,2}[0-9A-Za-z ]{0,5}$' } },
              caseload: { type: 'array', items: { type: 'string', pattern: '^[0-9]{10}$' } },
              localAuthorities: { type: 'array', items: { type: 'string', pattern: '^[A-Z0-9]{3,9}$' } },
            },
          },
          safeguardingContacts: {
            type: 'array',
            items: {
              type: 'object', additionalProperties: false, required: ['name'],
              properties: { name: { type: 'string', minLength: 1 }, phone: { type: 'string' }, email: { type: 'string', format: 'email' } },
            },
          },
        },
      },
    },
    pull: {
      // Source systems Cradle fetches from when notified (a webhook), by source name.
      type: 'object', additionalProperties: false,
      properties: {
        'maternity-fhir': {
          type: 'object', additionalProperties: false, required: ['baseUrl'],
          properties: {
            baseUrl: { type: 'string', format: 'uri', pattern: '^https?://' },
            auth: recipientAuth,
            timeoutMs: { type: 'integer', minimum: 100, maximum: 120000 },
          },
        },
      },
    },
    rules: { type: 'object' },
    delivery: {
      type: 'object', additionalProperties: false,
      properties: {
        attempts: { type: 'integer', minimum: 1, maximum: 50 },
        backoffMs: { type: 'integer', minimum: 1, maximum: 3600000 },
        retryParkedAfterMinutes: { type: 'integer', minimum: 0, maximum: 10080 },
        escalation: {
          type: 'object', additionalProperties: false,
          properties: {
            recipient: id,
            unseenAfterMinutes: { type: 'integer', minimum: 1, maximum: 10080 },
            sweepEveryMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
          },
        },
      },
    },
    subscriptions: {
      type: 'object', additionalProperties: false,
      properties: {
        allowedEndpoints: { type: 'array', items: { type: 'string', pattern: '^https?://[^/?#@]+(/[^?#]*)?$' } },
      },
    },
    limits: {
      type: 'object', additionalProperties: false,
      properties: {
        maxBodyBytes: { type: 'integer', minimum: 1024, maximum: 268435456 },
        requestsPerMinute: { type: 'integer', minimum: 1, maximum: 1000000 },
        burst: { type: 'integer', minimum: 1, maximum: 1000000 },
      },
    },
    store: {
      type: 'object', additionalProperties: false,
      properties: { schema: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,62}$' } },
    },
    queue: {
      type: 'object', additionalProperties: false,
      properties: {
        prefix: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' },
        attempts: { type: 'integer', minimum: 1, maximum: 50 },
        backoffMs: { type: 'integer', minimum: 1, maximum: 3600000 },
        lockMs: { type: 'integer', minimum: 1000, maximum: 600000 },
      },
    },
    recovery: {
      type: 'object', additionalProperties: false,
      properties: {
        sweepIntervalMs: { type: 'integer', minimum: 0 },
        staleAfterMs: { type: 'integer', minimum: 0 },
      },
    },
  },
} as const;
