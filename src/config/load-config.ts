import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import YAML from 'yaml';
import { type Ajv, createAjv } from '../fhir/ajv.js';
import { ajvIssues } from '../fhir/ajv-issues.js';
import { CradleError, type Issue } from '../fhir/outcome.js';
import { RULE_SETTINGS } from '../rules/catalogue.js';
import type { ClientConfig, Config, MllpConfig, RecipientConfig, RuleSettings } from './config.js';
import { CONFIG_FILE_SCHEMA } from './config-schema.js';

export type Env = Readonly<Record<string, string | undefined>>;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Environment → validated, frozen {@link Config}. Every problem is reported at once in one
 * CRADLE_CONFIG_INVALID error; nothing starts on a half-valid configuration.
 *
 * CRADLE_CONFIG is a path to a YAML file, or the YAML itself (recognised by a newline, a
 * leading `{`, or a `key: value`). `${NAME}` inside YAML strings is replaced by the environment
 * variable NAME, so secrets stay out of the file.
 *
 * @example const config = loadConfig(process.env)
 */
export function loadConfig(env: Env): Config {
  const issues: Issue[] = [];
  const file = readConfigDocument(env, issues);
  const port = intFromEnv(env, 'PORT', 8080, issues);
  const mllp = mllpFromEnv(env, issues);
  const metricsPort = nonEmpty(env.METRICS_PORT) === undefined ? undefined : intFromEnv(env, 'METRICS_PORT', 0, issues);

  const ajv = createAjv({ allErrors: true });
  if (!ajv.validate(CONFIG_FILE_SCHEMA, file)) {
    issues.push(...ajvIssues(ajv.errors, (p) => `CRADLE_CONFIG${p || '/'}`, 'CRADLE_CONFIG_INVALID', 'CRADLE_CONFIG_INVALID'));
  }
  const rules = ruleSettings((file.rules ?? {}) as Record<string, unknown>, ajv, issues);
  checkUniqueIds(file, issues);
  checkEscalationRecipient(file, issues);
  checkReadRoles(file, issues);
  if (issues.length > 0) throw CradleError.of(issues);

  const f = file as FileConfig;
  const adminToken = env.CRADLE_ADMIN_TOKEN?.trim();
  return deepFreeze({
    port,
    databaseUrl: nonEmpty(env.DATABASE_URL),
    redisUrl: nonEmpty(env.REDIS_URL),
    dataDir: resolve(nonEmpty(env.CRADLE_DATA_DIR) ?? './data'),
    logLevel: nonEmpty(env.LOG_LEVEL) ?? 'info',
    adminTokenSha256: adminToken ? sha256Hex(adminToken) : undefined,
    clients: (f.clients ?? []).map((c) => ({ ...c, tokenSha256: c.tokenSha256, jwks: c.jwks, requestsPerMinute: c.requestsPerMinute })) as ClientConfig[],
    recipients: (f.recipients ?? []).map(withRecipientDefaults),
    rules,
    delivery: {
      attempts: f.delivery?.attempts ?? 5,
      backoffMs: f.delivery?.backoffMs ?? 2000,
      retryParkedAfterMinutes: f.delivery?.retryParkedAfterMinutes ?? 10,
      escalation: {
        recipient: f.delivery?.escalation?.recipient,
        unseenAfterMinutes: f.delivery?.escalation?.unseenAfterMinutes ?? 240,
        sweepEveryMinutes: f.delivery?.escalation?.sweepEveryMinutes ?? 15,
      },
    },
    subscriptions: { allowedEndpoints: f.subscriptions?.allowedEndpoints },
    limits: { maxBodyBytes: f.limits?.maxBodyBytes ?? 5 * 1024 * 1024, requestsPerMinute: f.limits?.requestsPerMinute ?? 1200, burst: f.limits?.burst ?? 200 },
    store: { schema: f.store?.schema ?? 'public' },
    queue: { prefix: f.queue?.prefix ?? 'cradle', attempts: f.queue?.attempts ?? 5, backoffMs: f.queue?.backoffMs ?? 1000, lockMs: f.queue?.lockMs ?? 30_000 },
    recovery: { sweepIntervalMs: f.recovery?.sweepIntervalMs ?? 60_000, staleAfterMs: f.recovery?.staleAfterMs ?? 30_000 },
    pull: f.pull?.['maternity-fhir'] ? { 'maternity-fhir': withEndpointDefaults(f.pull['maternity-fhir']) } : {},
    mllp,
    metrics: { port: metricsPort },
  } satisfies Config);
}

interface FileConfig {
  clients?: ClientConfig[];
  recipients?: Array<Omit<RecipientConfig, 'endpoint' | 'routing' | 'name' | 'safeguardingContacts'> & {
    name?: string;
    endpoint: { baseUrl: string; auth?: RecipientConfig['endpoint']['auth']; timeoutMs?: number };
    routing?: { gpPractices?: string[]; postcodePrefixes?: string[]; caseload?: string[]; localAuthorities?: string[] };
    safeguardingContacts?: RecipientConfig['safeguardingContacts'];
  }>;
  rules?: Record<string, unknown>;
  delivery?: { attempts?: number; backoffMs?: number; retryParkedAfterMinutes?: number; escalation?: { recipient?: string; unseenAfterMinutes?: number; sweepEveryMinutes?: number } };
  limits?: { maxBodyBytes?: number; requestsPerMinute?: number; burst?: number };
  store?: { schema?: string };
  subscriptions?: { allowedEndpoints?: string[] };
  queue?: { prefix?: string; attempts?: number; backoffMs?: number; lockMs?: number };
  recovery?: { sweepIntervalMs?: number; staleAfterMs?: number };
  pull?: { 'maternity-fhir'?: { baseUrl: string; auth?: RecipientConfig['endpoint']['auth']; timeoutMs?: number } };
}

function withRecipientDefaults(r: NonNullable<FileConfig['recipients']>[number]): RecipientConfig {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name ?? r.id,
    endpoint: { baseUrl: r.endpoint.baseUrl.replace(/\/+$/, ''), auth: r.endpoint.auth ?? { type: 'none' }, timeoutMs: r.endpoint.timeoutMs ?? 10_000 },
    routing: {
      gpPractices: r.routing?.gpPractices ?? [],
      postcodePrefixes: (r.routing?.postcodePrefixes ?? []).map((p) => p.replace(/\s+/g, '').toUpperCase()),
      caseload: r.routing?.caseload ?? [],
      localAuthorities: r.routing?.localAuthorities ?? [],
    },
    safeguardingContacts: r.safeguardingContacts ?? [],
  };
}

function withEndpointDefaults(e: { baseUrl: string; auth?: RecipientConfig['endpoint']['auth']; timeoutMs?: number }) {
  return { baseUrl: e.baseUrl.replace(/\/+$/, ''), auth: e.auth ?? { type: 'none' as const }, timeoutMs: e.timeoutMs ?? 10_000 };
}

function readConfigDocument(env: Env, issues: Issue[]): Record<string, unknown> {
  const raw = nonEmpty(env.CRADLE_CONFIG);
  if (!raw) return {};
  // A path never holds a newline, a leading brace or "key: value"; YAML does.
  const inline = /\n|^\{|:\s/.test(raw);
  let text = raw;
  if (!inline) {
    if (!existsSync(raw)) {
      issues.push({ code: 'CRADLE_CONFIG_INVALID', expression: ['CRADLE_CONFIG'], diagnostics: 'CRADLE_CONFIG names a file that does not exist' });
      return {};
    }
    text = readFileSync(raw, 'utf8');
  }
  try {
    const doc: unknown = interpolate(YAML.parse(text), env, issues);
    if (doc === null || doc === undefined) return {};
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      issues.push({ code: 'CRADLE_CONFIG_INVALID', expression: ['CRADLE_CONFIG'], diagnostics: 'CRADLE_CONFIG must be a YAML mapping' });
      return {};
    }
    return doc as Record<string, unknown>;
  } catch (err) {
    issues.push({ code: 'CRADLE_CONFIG_INVALID', expression: ['CRADLE_CONFIG'], diagnostics: `CRADLE_CONFIG is not valid YAML: ${(err as Error).message.split('\n')[0]}` });
    return {};
  }
}

/**
 * Replaces `${NAME}` in string values (after parsing, so comments are left alone and an
 * environment value can never change the document's structure).
 */
function interpolate(value: unknown, env: Env, issues: Issue[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z_][A-Z0-9_]*)\}/g, (_m, name: string) => {
      const v = env[name];
      if (v === undefined) {
        issues.push({ code: 'CRADLE_CONFIG_INVALID', expression: [`CRADLE_CONFIG \${${name}}`], diagnostics: `environment variable ${name} is referenced but not set` });
        return '';
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, issues));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, issues)]));
  }
  return value;
}

function ruleSettings(given: Record<string, unknown>, ajv: Ajv, issues: Issue[]): Record<string, RuleSettings> {
  const out: Record<string, RuleSettings> = {};
  for (const key of Object.keys(given)) {
    if (!RULE_SETTINGS[key]) issues.push({ code: 'CRADLE_CONFIG_INVALID', expression: [`CRADLE_CONFIG/rules/${key}`], diagnostics: `unknown rule id ${key}` });
  }
  for (const [ruleId, def] of Object.entries(RULE_SETTINGS)) {
    const value = { enabled: true, ...def.defaults, ...((given[ruleId] as object | undefined) ?? {}) };
    const schema = { type: 'object', additionalProperties: false, properties: { enabled: { type: 'boolean' }, ...def.schema } };
    if (!ajv.validate(schema, value)) {
      issues.push(...ajvIssues(ajv.errors, (p) => `CRADLE_CONFIG/rules/${ruleId}${p}`, 'CRADLE_CONFIG_INVALID', 'CRADLE_CONFIG_INVALID'));
    }
    out[ruleId] = value as RuleSettings;
  }
  return out;
}

function checkUniqueIds(file: Record<string, unknown>, issues: Issue[]): void {
  for (const key of ['clients', 'recipients'] as const) {
    const list = Array.isArray(file[key]) ? (file[key] as Array<{ id?: unknown }>) : [];
    const seen = new Set<unknown>();
    list.forEach((item, i) => {
      if (item?.id !== undefined && seen.has(item.id)) {
        issues.push({ code: 'CRADLE_CONFIG_INVALID', expression: [`CRADLE_CONFIG/${key}/${i}/id`], diagnostics: `duplicate id ${String(item.id)}` });
      }
      seen.add(item?.id);
    });
  }
}

function checkEscalationRecipient(file: Record<string, unknown>, issues: Issue[]): void {
  const recipient = (file as FileConfig).delivery?.escalation?.recipient;
  const ids = ((file as FileConfig).recipients ?? []).map((r) => r.id);
  if (recipient && !ids.includes(recipient)) {
    issues.push({ code: 'CRADLE_CONFIG_INVALID', expression: ['CRADLE_CONFIG/delivery/escalation/recipient'], diagnostics: `escalation recipient ${recipient} is not a configured recipient` });
  }
}

/** A `read:<id>` role naming no recipient reads nothing: almost certainly a typo that would leave a team blind. */
function checkReadRoles(file: Record<string, unknown>, issues: Issue[]): void {
  const ids = new Set(((file as FileConfig).recipients ?? []).map((r) => r.id));
  ((file as FileConfig).clients ?? []).forEach((c, i) => c.roles?.forEach((role, j) => {
    if (role.startsWith('read:') && !ids.has(role.slice(5))) {
      issues.push({ code: 'CRADLE_CONFIG_INVALID', expression: [`CRADLE_CONFIG/clients/${i}/roles/${j}`], diagnostics: `${role} names no configured recipient` });
    }
  }));
}

function intFromEnv(env: Env, name: string, fallback: number, issues: Issue[]): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    issues.push({ code: 'CRADLE_CONFIG_INVALID', expression: [name], diagnostics: `${name} must be a port number` });
    return fallback;
  }
  return n;
}

/** MLLP_PORT (unset: no listener), MLLP_HOST, MLLP_CLIENT_ID, MLLP_ALLOW (comma-separated addresses). */
function mllpFromEnv(env: Env, issues: Issue[]): MllpConfig {
  const port = nonEmpty(env.MLLP_PORT) === undefined ? undefined : intFromEnv(env, 'MLLP_PORT', 0, issues);
  const clientId = nonEmpty(env.MLLP_CLIENT_ID) ?? 'mllp';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(clientId)) {
    issues.push({ code: 'CRADLE_CONFIG_INVALID', expression: ['MLLP_CLIENT_ID'], diagnostics: 'MLLP_CLIENT_ID must be a client id (letters, digits, . _ -)' });
  }
  return {
    port,
    host: nonEmpty(env.MLLP_HOST) ?? '0.0.0.0',
    clientId,
    allow: (nonEmpty(env.MLLP_ALLOW) ?? '').split(',').map((a) => a.trim()).filter(Boolean),
  };
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
