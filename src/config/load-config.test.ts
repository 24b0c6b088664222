import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CradleError } from '../fhir/outcome.js';
import { loadConfig, sha256Hex } from './load-config.js';

const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof CradleError) return err.issues.map((i) => i.expression?.[0]);
    throw err;
  }
  throw new Error('expected a CradleError');
};

describe('loadConfig', () => {
  it('gives the embedded defaults with no environment, frozen', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, databaseUrl: undefined, redisUrl: undefined, logLevel: 'info', clients: [], recipients: [] });
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.rules['bruising-non-mobile-infant']).toEqual({ enabled: true, nonMobileAgeMonths: 6 });
    expect(Object.isFrozen(config) && Object.isFrozen(config.rules)).toBe(true);
  });

  it('leaves the MLLP listener off unless MLLP_PORT is set, and reads its client id and allow-list', () => {
    expect(loadConfig({}).mllp).toEqual({ port: undefined, host: '0.0.0.0', clientId: 'mllp', allow: [] });
    expect(loadConfig({ MLLP_PORT: '2575', MLLP_CLIENT_ID: 'gp-emis', MLLP_ALLOW: '10.0.0.5, 10.0.0.6' }).mllp)
      .toEqual({ port: 2575, host: '0.0.0.0', clientId: 'gp-emis', allow: ['10.0.0.5', '10.0.0.6'] });
    expect(issuesOf(() => loadConfig({ MLLP_PORT: 'seventy', MLLP_CLIENT_ID: 'not a client id' }))).toEqual(['MLLP_PORT', 'MLLP_CLIENT_ID']);
  });

  it('keeps only a hash of the admin token', () => {
    const config = loadConfig({ CRADLE_ADMIN_TOKEN: 'open sesame' });
    expect(config.adminTokenSha256).toBe(sha256Hex('open sesame'));
    expect(JSON.stringify(config)).not.toContain('open sesame');
  });

  it('reads CRADLE_CONFIG from a file or inline, interpolating ${ENV} secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cradle-config-'));
    const file = join(dir, 'cradle.yaml');
    writeFileSync(file, 'recipients:\n  - id: hv\n    kind: health-visiting\n    endpoint: { baseUrl: "https://ehr.example/fhir/", auth: { type: bearer, token: "${HV_TOKEN}" } }\n    routing: { postcodePrefixes: ["so16 "] }\n');
    const config = loadConfig({ CRADLE_CONFIG: file, HV_TOKEN: 'xyz' });
    expect(config.recipients[0]).toMatchObject({ id: 'hv', name: 'hv', endpoint: { baseUrl: 'https://ehr.example/fhir', auth: { type: 'bearer', token: 'xyz' } }, routing: { postcodePrefixes: ['SO16'], gpPractices: [] } });
    expect(loadConfig({ CRADLE_CONFIG: 'rules: { bruising-non-mobile-infant: { nonMobileAgeMonths: 4 } }' }).rules['bruising-non-mobile-infant']).toMatchObject({ nonMobileAgeMonths: 4 });
  });

  it('reports every problem at once, each pointing at its key', () => {
    const yaml = [
      'clients:',
      '  - { id: a, tokenSha256: nothex, roles: [admin] }',
      '  - { id: a, tokenSha256: ' + 'a'.repeat(64) + ', roles: [superuser] }',
      '  - { id: b, tokenSha256: ' + 'b'.repeat(64) + ', roles: [read:r, read:typo] }',
      'recipients:',
      '  - { id: r, kind: pharmacy, endpoint: { baseUrl: ftp://x }, routing: {} }',
      'rules:',
      '  no-such-rule: {}',
      '  bruising-non-mobile-infant: { nonMobileAgeMonths: 99 }',
      'colour: blue',
    ].join('\n');
    const where = issuesOf(() => loadConfig({ CRADLE_CONFIG: yaml, PORT: 'eighty', HV: 'x' }));
    expect(where).toEqual(expect.arrayContaining([
      'PORT', 'CRADLE_CONFIG/colour', 'CRADLE_CONFIG/clients/0/tokenSha256', 'CRADLE_CONFIG/clients/1/roles/0',
      'CRADLE_CONFIG/recipients/0/kind', 'CRADLE_CONFIG/recipients/0/endpoint/baseUrl', 'CRADLE_CONFIG/clients/1/id',
      'CRADLE_CONFIG/rules/no-such-rule', 'CRADLE_CONFIG/rules/bruising-non-mobile-infant/nonMobileAgeMonths',
      'CRADLE_CONFIG/clients/2/roles/1',
    ]));
    expect(where).not.toContain('CRADLE_CONFIG/clients/2/roles/0');
  });

  it('refuses a missing file, unset ${VARS} and YAML that is not a mapping', () => {
    expect(issuesOf(() => loadConfig({ CRADLE_CONFIG: '/no/such/cradle.yaml' }))).toEqual(['CRADLE_CONFIG']);
    expect(issuesOf(() => loadConfig({ CRADLE_CONFIG: 'queue: { prefix: "${NOPE}" }' }))).toContain('CRADLE_CONFIG ${NOPE}');
    expect(issuesOf(() => loadConfig({ CRADLE_CONFIG: '- a\n- b\n' }))).toEqual(['CRADLE_CONFIG']);
  });
});

describe('config/cradle.example.yaml', () => {
  it('is a valid configuration once its secrets are set', () => {
    const config = loadConfig({ CRADLE_CONFIG: 'config/cradle.example.yaml', HV_CLIENT_SECRET: 'a', GP_J82001_TOKEN: 'b' });
    expect(config.recipients.map((r) => r.id)).toEqual(['hv-southampton', 'gp-j82001']);
    expect(config.clients.map((c) => c.roles[0])).toEqual(['ingest:maternity', 'read:hv-southampton', 'commissioner']);
  });
});
