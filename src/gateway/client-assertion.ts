import { createHash, randomBytes } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import type { ClientConfig } from '../config/config.js';
import type { Db } from '../store/db.js';

/** SMART Backend Services (HL7 SMART App Launch 2.x, "Backend Services"): token lifetime ≤ 5 minutes. */
export const ACCESS_TOKEN_SECONDS = 300;
const ALGORITHMS = ['RS384', 'ES384'];
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export class OAuthError extends Error {
  constructor(readonly error: 'invalid_request' | 'invalid_client' | 'unsupported_grant_type', description: string, readonly status = 400) {
    super(description);
  }
}

export interface IssuedToken {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  scope: string;
}

/**
 * Exchanges a signed client assertion (private_key_jwt) for a short-lived access token:
 * the JWT must be signed with a key the client registered (RS384 or ES384), name the client
 * as `iss` and `sub`, have this token endpoint as `aud`, expire within five minutes, and
 * carry a `jti` never seen before (replays are refused). The token is stored as SHA-256 only.
 */
export async function issueToken(db: Db, clients: readonly ClientConfig[], form: URLSearchParams, tokenUrl: string, nowMs: number): Promise<IssuedToken> {
  if (form.get('grant_type') !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'grant_type must be client_credentials');
  if (form.get('client_assertion_type') !== ASSERTION_TYPE) throw new OAuthError('invalid_request', `client_assertion_type must be ${ASSERTION_TYPE}`);
  const assertion = form.get('client_assertion') ?? '';
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw new OAuthError('invalid_request', 'client_assertion is not a JWT');
  }
  const client = clients.find((c) => c.id === claims.iss && c.jwks);
  if (!client || claims.sub !== claims.iss) throw new OAuthError('invalid_client', 'unknown client, or iss and sub differ', 401);
  try {
    await jwtVerify(assertion, createLocalJWKSet(client.jwks as unknown as JSONWebKeySet), {
      algorithms: ALGORITHMS, issuer: client.id, subject: client.id, audience: tokenUrl, currentDate: new Date(nowMs), maxTokenAge: '5m', requiredClaims: ['exp', 'jti'],
    });
  } catch (err) {
    throw new OAuthError('invalid_client', `client assertion rejected: ${(err as Error).message}`, 401);
  }
  if ((claims.exp! * 1000) - nowMs > 5 * 60_000) throw new OAuthError('invalid_client', 'client assertion must expire within five minutes', 401);
  const fresh = await db.query(
    `INSERT INTO client_assertion_jti (jti, client_id, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING jti`,
    [String(claims.jti), client.id, new Date(claims.exp! * 1000).toISOString()]);
  if (fresh.rows.length === 0) throw new OAuthError('invalid_client', 'client assertion already used (jti replay)', 401);
  const token = randomBytes(32).toString('base64url');
  await db.query('INSERT INTO access_token (token_sha256, client_id, expires_at) VALUES ($1, $2, $3)',
    [sha256(token), client.id, new Date(nowMs + ACCESS_TOKEN_SECONDS * 1000).toISOString()]);
  // Expired tokens are useless, and an expired assertion is refused on its exp: neither needs keeping.
  await db.query('DELETE FROM access_token WHERE expires_at < $1', [new Date(nowMs).toISOString()]);
  await db.query('DELETE FROM client_assertion_jti WHERE expires_at < $1', [new Date(nowMs - 60_000).toISOString()]);
  return { access_token: token, token_type: 'bearer', expires_in: ACCESS_TOKEN_SECONDS, scope: form.get('scope') ?? 'system/*.read' };
}

/** The client an issued, unexpired access token belongs to. */
export async function clientOfAccessToken(db: Db, token: string, nowMs: number): Promise<string | undefined> {
  const { rows } = await db.query<{ client_id: string }>('SELECT client_id FROM access_token WHERE token_sha256 = $1 AND expires_at > $2',
    [sha256(token), new Date(nowMs).toISOString()]);
  return rows[0]?.client_id;
}

export function smartConfiguration(tokenUrl: string) {
  return {
    token_endpoint: tokenUrl,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ALGORITHMS,
    grant_types_supported: ['client_credentials'],
    scopes_supported: ['system/*.read'],
    capabilities: ['client-confidential-asymmetric'],
  };
}

function sha256(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
