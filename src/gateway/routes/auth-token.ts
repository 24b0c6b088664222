import { Hono } from 'hono';
import type { Runtime } from '../../runtime/runtime.js';
import { issueToken, OAuthError, smartConfiguration } from '../client-assertion.js';
import type { GatewayEnv } from '../context.js';

/**
 * SMART Backend Services: discovery and the token endpoint. These speak OAuth 2.0, so their
 * errors are RFC 6749 error objects (`{ error, error_description }`), the one place Cradle
 * does not answer with an OperationOutcome: OAuth clients expect them.
 */
export function authRoutes(rt: Runtime): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const tokenUrl = (url: string) => `${new URL(url).origin}/auth/token`;
  app.get('/.well-known/smart-configuration', (c) => c.json(smartConfiguration(tokenUrl(c.req.url))));
  app.post('/auth/token', async (c) => {
    try {
      const form = new URLSearchParams(await c.req.text());
      const token = await issueToken(rt.db, rt.config.clients, form, tokenUrl(c.req.url), Date.parse(rt.clock()));
      c.header('Cache-Control', 'no-store');
      return c.json(token);
    } catch (err) {
      if (!(err instanceof OAuthError)) throw err;
      c.get('log').info({ error: err.error }, 'token request refused');
      return c.json({ error: err.error, error_description: err.message }, err.status as 400);
    }
  });
  return app;
}
