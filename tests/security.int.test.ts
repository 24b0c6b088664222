import { Writable } from 'node:stream';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/observability/logger.js';
import { startHarness, type Harness } from './support/harness.js';
import { adtPerson, ER7 } from './support/hl7.js';
import { testNhsNumber } from './support/nhs.js';
import { fullRecord } from './support/records.js';

const TOKEN_URL = 'http://localhost/auth/token';
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

describe('security: SMART Backend Services, rate limits, no personal data in logs', () => {
  let h: Harness;
  let now = '2026-11-25T10:00:00Z';
  let privateKey: PrivateKey;
  let strangerKey: PrivateKey;
  const lines: string[] = [];

  beforeAll(async () => {
    const pair = await generateKeyPair('ES384');
    privateKey = pair.privateKey;
    strangerKey = (await generateKeyPair('ES384')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'hv-key-1', alg: 'ES384' };
    const sink = new Writable({ write(chunk, _e, done) { lines.push(String(chunk)); done(); } });
    h = await startHarness('embedded', {
      clock: () => now,
      logger: createLogger('debug', sink as never),
      config: {
        limits: { burst: 5, requestsPerMinute: 60 },
        clients: [
          { id: 'hv-backend', jwks: { keys: [jwk] }, roles: ['read:hv'] },
          { id: 'busy', token: 'busy-token', roles: ['read:hv'] },
          { id: 'calm', token: 'calm-token', roles: ['read:hv'] },
        ],
        recipients: [{ id: 'hv', kind: 'health-visiting', endpoint: { baseUrl: 'https://hv.security.test/fhir' }, routing: { postcodePrefixes: ['ZZ1'] } }],
      },
    });
  });
  afterAll(() => h?.close());

  const assertion = (o: { key?: PrivateKey; aud?: string; expiresIn?: number; jti?: string; iss?: string } = {}) =>
    new SignJWT({ jti: o.jti ?? crypto.randomUUID() })
      .setProtectedHeader({ alg: 'ES384', kid: 'hv-key-1' })
      .setIssuer(o.iss ?? 'hv-backend').setSubject(o.iss ?? 'hv-backend').setAudience(o.aud ?? TOKEN_URL)
      .setIssuedAt(Math.floor(Date.parse(now) / 1000)).setExpirationTime(Math.floor(Date.parse(now) / 1000) + (o.expiresIn ?? 240))
      .sign(o.key ?? privateKey);
  const token = (jwt: string, form: Record<string, string> = {}) => h.request('/auth/token', {
    method: 'POST', token: null, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: jwt, scope: 'system/*.read', ...form }).toString(),
  });

  it('publishes its SMART configuration', async () => {
    const conf = (await (await h.request('/.well-known/smart-configuration', { token: null })).json()) as Record<string, unknown>;
    expect(conf).toMatchObject({ token_endpoint: TOKEN_URL, token_endpoint_auth_methods_supported: ['private_key_jwt'], grant_types_supported: ['client_credentials'] });
  });

  it('does not let a client with keys but no static token in with any bearer string', async () => {
    for (const guess of ['undefined', 'null', '']) expect((await h.request('/fhir/Flag', { token: guess || 'x' })).status).toBe(401);
  });

  it('issues a short-lived token for a signed assertion, usable until it expires', async () => {
    const res = await token(await assertion());
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const issued = (await res.json()) as { access_token: string; expires_in: number };
    expect(issued.expires_in).toBe(300);
    expect((await h.request('/fhir/Flag', { token: issued.access_token })).status).toBe(200);
    const { rows } = await h.rt.db.query<{ token_sha256: string }>('SELECT token_sha256 FROM access_token');
    expect(rows.map((r) => r.token_sha256)).not.toContain(issued.access_token);
    now = '2026-11-25T10:05:01Z';
    expect((await h.request('/fhir/Flag', { token: issued.access_token })).status).toBe(401);
  });

  it('refuses replayed, mis-addressed, long-lived, foreign-signed and unknown assertions', async () => {
    now = '2026-11-25T11:00:00Z';
    const once = await assertion({ jti: 'fixed-jti' });
    expect((await token(once)).status).toBe(200);
    const replay = await token(once);
    expect([replay.status, ((await replay.json()) as { error: string }).error]).toEqual([401, 'invalid_client']);
    expect((await token(await assertion({ aud: 'https://elsewhere/token' }))).status).toBe(401);
    expect((await token(await assertion({ expiresIn: 3600 }))).status).toBe(401);
    expect((await token(await assertion({ key: strangerKey }))).status).toBe(401);
    expect((await token(await assertion({ iss: 'nobody' }))).status).toBe(401);
    expect(((await (await token(await assertion(), { grant_type: 'password' })).json()) as { error: string }).error).toBe('unsupported_grant_type');
  });

  it('limits each client\'s request rate with 429 and Retry-After, without slowing other clients', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await h.request('/fhir/Flag', { token: 'busy-token' })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await h.request('/fhir/Flag', { token: 'busy-token' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await h.request('/fhir/Flag', { token: 'calm-token' })).status).toBe(200);
  });

  it('does not limit the operator token (bulk loads, replays), which the harness uses', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 12; i++) statuses.add((await h.request('/fhir/Flag')).status);
    expect([...statuses]).toEqual([200]);
  });

  it('never writes names, NHS numbers or payloads to the logs', async () => {
    const record = fullRecord();
    await h.postRecord('maternity', record);
    await h.request('/ingest/gp-hl7v2', { method: 'POST', body: adtPerson('A28', { controlId: 'SEC-1', at: '20261101100000', patient: { localId: 'EMIS-SEC', nhs: testNhsNumber(500), family: 'PRIVATEFAMILY', given: 'SECRETNAME', birthDate: '19900101', sex: 'F', postcode: 'SO16 6YD' }, practice: 'J82001' }), headers: { 'content-type': ER7 } });
    await h.postRecord('maternity', { ...record, mother: { ...record.mother, birthDate: 'not a date' } });
    await h.settle();
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    for (const secret of ['9434765919', '9434765870', '9434765846', testNhsNumber(500), 'Smith', 'Jones', 'PRIVATEFAMILY', 'SECRETNAME', '1 High Street', 'SO16 6YD', 'Mongolian', 'sertraline']) {
      expect(text, secret).not.toContain(secret);
    }
  });
});
