import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ClientConfig } from '../config/config.js';
import { CradleError } from '../fhir/outcome.js';
import type { Db } from '../store/db.js';
import { clientOfAccessToken } from './client-assertion.js';
import { hasRole, type GatewayEnv, type Principal } from './context.js';

export interface AuthOptions {
  clients: readonly ClientConfig[];
  adminTokenSha256: string | undefined;
  /** Where access tokens issued by /auth/token (SMART Backend Services) are kept. */
  db?: Db;
  now?: () => number;
}

/**
 * Bearer authentication. Static tokens are never stored: CRADLE_CONFIG holds each client's
 * SHA-256, and the presented token is hashed and looked up. A client with registered keys
 * instead exchanges a signed assertion for a short-lived access token at /auth/token.
 * CRADLE_ADMIN_TOKEN has every role (for operators and tests).
 *
 * @example app.use('/fhir/*', authenticate({ clients: config.clients, adminTokenSha256 }))
 */
export function authenticate(options: AuthOptions): MiddlewareHandler<GatewayEnv> {
  const byHash = principalsByTokenHash(options);
  const byId = new Map(options.clients.map((c) => [c.id, { clientId: c.id, roles: new Set(c.roles) } as Principal]));
  return async function bearerAuth(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) {
      c.header('WWW-Authenticate', 'Bearer realm="cradle"');
      throw new CradleError('CRADLE_AUTH_REQUIRED');
    }
    let principal = byHash.get(createHash('sha256').update(match[1]!, 'utf8').digest('hex'));
    if (!principal && options.db) {
      const clientId = await clientOfAccessToken(options.db, match[1]!, (options.now ?? Date.now)());
      principal = clientId ? byId.get(clientId) : undefined;
    }
    if (!principal) {
      c.header('WWW-Authenticate', 'Bearer realm="cradle", error="invalid_token"');
      throw new CradleError('CRADLE_AUTH_INVALID');
    }
    c.set('principal', principal);
    c.set('log', c.get('log').child({ clientId: principal.clientId }));
    await next();
  };
}

/** Principals by the SHA-256 of their static token: configured clients and the admin. */
export function principalsByTokenHash(options: Pick<AuthOptions, 'clients' | 'adminTokenSha256'>): Map<string, Principal> {
  const byHash = new Map<string, Principal>();
  for (const c of options.clients) if (c.tokenSha256) byHash.set(c.tokenSha256, { clientId: c.id, roles: new Set(c.roles) });
  if (options.adminTokenSha256) byHash.set(options.adminTokenSha256, { clientId: 'admin', roles: new Set(['admin']), operator: true });
  return byHash;
}

/** Requires a role (admin passes every check). */
export function requireRole(role: string | ((c: Parameters<MiddlewareHandler<GatewayEnv>>[0]) => string)): MiddlewareHandler<GatewayEnv> {
  return async function roleCheck(c, next) {
    const needed = typeof role === 'string' ? role : role(c);
    if (!hasRole(c.get('principal'), needed)) throw new CradleError('CRADLE_FORBIDDEN', { diagnostics: `requires role ${needed}` });
    await next();
  };
}
