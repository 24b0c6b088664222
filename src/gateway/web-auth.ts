import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { CradleError } from '../fhir/outcome.js';
import type { ClientConfig } from '../config/config.js';
import type { WebSessionStore } from '../store/web-session-store.js';
import { hasRole, type GatewayEnv, type Principal } from './context.js';

export const SESSION_COOKIE = 'cradle_session';
/** A working day: long enough for a meeting, short enough that a forgotten browser expires. */
export const SESSION_TTL_MS = 8 * 3600_000;

export interface WebAuthOptions {
  clients: readonly ClientConfig[];
  adminTokenSha256: string | undefined;
  /** The API's bearer authentication, used as is when a request carries an Authorization header. */
  bearer: MiddlewareHandler<GatewayEnv>;
  sessions: WebSessionStore;
  clock: () => string;
}

/**
 * Authentication for the pages people open in a browser (the dashboard, the queue board,
 * /metrics): an `Authorization: Bearer` header exactly as for the API, or the session cookie
 * a static token (CRADLE_CONFIG's `tokenSha256`, or CRADLE_ADMIN_TOKEN) was exchanged for.
 * Roles always come from the current configuration.
 */
export class WebAuth {
  private readonly byHash: Map<string, Principal>;

  constructor(readonly options: WebAuthOptions) {
    this.byHash = new Map();
    for (const client of options.clients) if (client.tokenSha256) this.byHash.set(client.tokenSha256, { clientId: client.id, roles: new Set(client.roles) });
    if (options.adminTokenSha256) this.byHash.set(options.adminTokenSha256, { clientId: 'admin', roles: new Set(['admin']) });
  }

  /** The caller of a session cookie, or undefined when there is no live session. */
  async sessionPrincipal(c: Context<GatewayEnv>): Promise<Principal | undefined> {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (!cookie) return undefined;
    const tokenSha256 = await this.options.sessions.tokenOf(cookie, this.options.clock());
    return tokenSha256 ? this.byHash.get(tokenSha256) : undefined;
  }

  /** Exchanges an API token for a session cookie; false when the token is not accepted. */
  async exchange(c: Context<GatewayEnv>, token: string): Promise<Principal | undefined> {
    const tokenSha256 = hash(token.trim());
    const principal = this.byHash.get(tokenSha256);
    if (!principal) return undefined;
    const cookie = await this.options.sessions.start(tokenSha256, this.options.clock(), SESSION_TTL_MS);
    // Lax, not Strict: a sign-in link opened from another site (an e-mailed invitation) must
    // carry the new cookie through its redirect; cross-site POSTs (sign-out, the queue board's
    // actions) still go without it.
    setCookie(c, SESSION_COOKIE, cookie, {
      httpOnly: true, sameSite: 'Lax', path: '/', maxAge: SESSION_TTL_MS / 1000, secure: isHttps(c),
    });
    return principal;
  }

  async logout(c: Context<GatewayEnv>): Promise<void> {
    const cookie = getCookie(c, SESSION_COOKIE);
    if (cookie) await this.options.sessions.end(cookie);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
  }

  /**
   * Requires a caller with `role`. Without one, pages (`onMissing: 'login'`) redirect to the
   * login form and come back; APIs answer 401 with an OperationOutcome.
   */
  require(role: string, onMissing: 'login' | 'error'): MiddlewareHandler<GatewayEnv> {
    const auth = this;
    const checked: MiddlewareHandler<GatewayEnv> = async (c, next) => {
      if (!hasRole(c.get('principal'), role)) throw new CradleError('CRADLE_FORBIDDEN', { diagnostics: `requires role ${role}` });
      await next();
    };
    return async function browserAuth(c, next) {
      if (c.req.header('authorization')) return auth.options.bearer(c, async () => { await checked(c, next); });
      const principal = await auth.sessionPrincipal(c);
      if (!principal) {
        if (onMissing === 'login' && c.req.method === 'GET') return c.redirect(`/dashboard/login?next=${encodeURIComponent(c.req.path)}`, 303);
        c.header('WWW-Authenticate', 'Bearer realm="cradle"');
        throw new CradleError('CRADLE_AUTH_REQUIRED');
      }
      c.set('principal', principal);
      c.set('log', c.get('log').child({ clientId: principal.clientId }));
      await checked(c, next);
    };
  }
}

function hash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Behind a TLS terminator the request arrives as http with X-Forwarded-Proto: https. */
function isHttps(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';
}

/** Where a login may send the browser back to: Cradle's own pages only, never another site. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(dashboard|metrics)(\/|$|\?)/.test(next) && !next.includes('//') ? next : '/dashboard';
}
