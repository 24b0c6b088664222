import { describe, expect, it } from 'vitest';
import { CradleError } from '../fhir/outcome.js';
import { loadConfig } from './load-config.js';

const yaml = (body: string) => ({ CRADLE_CONFIG: `${body}\n`, BN_SECRET: 'xyz' });

describe('pull connectors in CRADLE_CONFIG', () => {
  it('reads the maternity system\'s endpoint with defaults, secrets from the environment', () => {
    const config = loadConfig(yaml('pull:\n  maternity-fhir:\n    baseUrl: https://spine.example/fhir/\n    auth: { type: oauth2, tokenUrl: https://spine.example/token, clientId: cradle, clientSecret: "${BN_SECRET}" }'));
    expect(config.pull['maternity-fhir']).toEqual({ baseUrl: 'https://spine.example/fhir', timeoutMs: 10_000,
      auth: { type: 'oauth2', tokenUrl: 'https://spine.example/token', clientId: 'cradle', clientSecret: 'xyz' } });
  });

  it('has none unless configured', () => {
    expect(loadConfig({}).pull).toEqual({});
  });

  it('refuses a connector for a source that has none, and an endpoint without a base URL', () => {
    try {
      loadConfig(yaml('pull:\n  gp-fhir: { baseUrl: https://gp.example/fhir }\n  maternity-fhir: { timeoutMs: 5000 }'));
      throw new Error('expected CRADLE_CONFIG_INVALID');
    } catch (err) {
      expect((err as CradleError).issues.map((i) => i.expression?.[0])).toEqual(['CRADLE_CONFIG/pull/gp-fhir', 'CRADLE_CONFIG/pull/maternity-fhir/baseUrl']);
    }
  });
});
