import type { RecipientAuth as EndpointAuth } from '../config/config.js';
import { CradleError } from '../fhir/outcome.js';
import type { IssueCode } from '../fhir/issue-codes.js';

interface CachedToken { value: string; expiresAt: number }

/** Whose endpoint a token is for, and which issue codes its failures carry. */
export interface TokenTarget {
  /** Cache key and the name in diagnostics: a recipient id, `pull:maternity-fhir`. */
  id: string;
  auth: EndpointAuth;
  timeoutMs: number;
  /** Issue codes for a token endpoint that cannot be reached (retried) or refuses us (not). */
  codes: { unavailable: IssueCode; rejected: IssueCode };
}

/**
 * Bearer tokens for a remote FHIR endpoint Cradle calls: a configured static token, or an
 * OAuth2 client-credentials token (RFC 6749 §4.4) fetched from the token endpoint and
 * cached until shortly before it expires. BadgerNet Spine and most NHS APIs use client
 * credentials. Shared by delivery (pushing to recipients) and pull connectors (fetching
 * from source systems).
 */
export class BearerTokens {
  private readonly cache = new Map<string, CachedToken>();

  constructor(private readonly clock: () => number = Date.now) {}

  async header(target: TokenTarget): Promise<Record<string, string>> {
    const { auth } = target;
    if (auth.type === 'none') return {};
    if (auth.type === 'bearer') return { authorization: `Bearer ${auth.token}` };
    const cached = this.cache.get(target.id);
    if (cached && cached.expiresAt > this.clock()) return { authorization: `Bearer ${cached.value}` };
    const token = await this.fetchToken(target, auth);
    this.cache.set(target.id, token);
    return { authorization: `Bearer ${token.value}` };
  }

  /** Forgets a cached token (after a 401, the next attempt fetches a new one). */
  invalidate(id: string): void {
    this.cache.delete(id);
  }

  private async fetchToken(target: TokenTarget, auth: Extract<EndpointAuth, { type: 'oauth2' }>): Promise<CachedToken> {
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...(auth.scope ? { scope: auth.scope } : {}) });
    let res: Response;
    try {
      res = await fetch(auth.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString('base64')}`,
        },
        body,
        signal: AbortSignal.timeout(target.timeoutMs),
      });
    } catch (err) {
      throw new CradleError(target.codes.unavailable, { diagnostics: `token endpoint of ${target.id} unreachable` }, { cause: err });
    }
    if (!res.ok) {
      const code = res.status >= 500 || res.status === 429 ? target.codes.unavailable : target.codes.rejected;
      throw new CradleError(code, { diagnostics: `token endpoint of ${target.id} answered ${res.status}` });
    }
    const json = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!json.access_token) throw new CradleError(target.codes.rejected, { diagnostics: `token endpoint of ${target.id} returned no access_token` });
    const lifetimeMs = Math.max(0, (json.expires_in ?? 300) - 30) * 1000;
    return { value: json.access_token, expiresAt: this.clock() + lifetimeMs };
  }
}
