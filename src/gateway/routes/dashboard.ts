import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { dashboardAsset } from '../../dashboard/assets.js';
import { dashboardData } from '../../dashboard/dashboard-data.js';
import { dashboardPage } from '../../dashboard/dashboard-page.js';
import { failuresPage, parkedPage } from '../../dashboard/detail-pages.js';
import { loginPage } from '../../dashboard/login-page.js';
import { CradleError } from '../../fhir/outcome.js';
import type { Runtime } from '../../runtime/runtime.js';
import { failedMessages } from '../../store/figures-queries.js';
import { getCookie } from 'hono/cookie';
import { hasRole, type GatewayEnv } from '../context.js';
import { SESSION_COOKIE, safeNext, type WebAuth } from '../web-auth.js';
import { queueBoardRoutes } from './queue-board.js';

/**
 * Only the gateway's own scripts, styles and data: no inline code, no CDN, no framing. The
 * queue board (bull-board's own page, with inline script) is left out.
 */
const strictHeaders = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'none'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], imgSrc: ["'self'", 'data:'], connectSrc: ["'self'"],
    fontSrc: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"], baseUri: ["'none'"],
  },
  referrerPolicy: 'no-referrer',
  crossOriginResourcePolicy: 'same-origin',
});

const noStore: MiddlewareHandler<GatewayEnv> = async function noStore(c, next) {
  await next();
  if (!c.req.path.startsWith('/dashboard/assets/')) c.header('Cache-Control', 'no-store');
};

/**
 * The commissioners' dashboard (role commissioner; admin passes): `/dashboard` (page),
 * `/dashboard/data.json` (its figures), detail pages behind the counts, sign-in and sign-out,
 * static assets, and the operators' queue board at `/dashboard/queues` (admin).
 */
export function dashboardRoutes(rt: Runtime, web: WebAuth): Hono<GatewayEnv> {
  const app = new Hono<GatewayEnv>();
  const figures = () => {
    if (!rt.metrics.figures) throw new CradleError('CRADLE_NOT_READY', { diagnostics: 'figures are not configured' });
    return rt.metrics.figures.get();
  };
  const page = web.require('commissioner', 'login');
  const viewer = (c: Parameters<MiddlewareHandler<GatewayEnv>>[0]) => ({
    clientId: c.get('principal').clientId, admin: hasRole(c.get('principal'), 'admin'), session: !!getCookie(c, SESSION_COOKIE) && !c.req.header('authorization'),
  });

  app.use('*', noStore);
  app.use('*', async (c, next) => (c.req.path.startsWith('/dashboard/queues') ? next() : strictHeaders(c, next)));

  app.get('/assets/:name', (c) => {
    const asset = dashboardAsset(c.req.param('name'));
    if (!asset) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: 'no such asset' });
    return c.body(new Uint8Array(asset.body), 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' });
  });

  app.get('/login', (c) => c.html(loginPage({ next: safeNext(c.req.query('next')) })));
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(typeof form.next === 'string' ? form.next : undefined);
    const principal = typeof form.token === 'string' && form.token ? await web.exchange(c, form.token) : undefined;
    if (!principal) return c.html(loginPage({ next, error: 'That token is not recognised.' }), 401);
    c.get('log').info({ clientId: principal.clientId }, 'dashboard sign-in');
    return c.redirect(next, 303);
  });
  app.post('/logout', async (c) => {
    await web.logout(c);
    return c.redirect('/dashboard/login', 303);
  });

  // `?token=` is exchanged for the session cookie, then dropped from the address bar.
  const home: MiddlewareHandler<GatewayEnv> = async (c, next) => {
    const token = c.req.query('token');
    if (!token) return next();
    if (!(await web.exchange(c, token))) return c.html(loginPage({ next: '/dashboard', error: 'That link\'s token is not recognised.' }), 401);
    return c.redirect('/dashboard', 303);
  };
  for (const path of ['/', '']) app.get(path, home, page, async (c) => c.html(dashboardPage(dashboardData(await figures()), viewer(c))));

  app.get('/data.json', web.require('commissioner', 'error'), async (c) => c.json(dashboardData(await figures())));

  app.get('/failures', page, async (c) => {
    const status = c.req.query('status');
    const filter: { status?: 'rejected' | 'failed'; source?: string } = {
      ...(status === 'rejected' || status === 'failed' ? { status } : {}), ...(c.req.query('source') ? { source: c.req.query('source')! } : {}),
    };
    const rows = await failedMessages(rt.db, { ...filter, limit: 200 });
    return c.html(failuresPage(rows, filter, rt.clock(), viewer(c).admin));
  });

  app.get('/parked', page, async (c) => {
    const recipient = c.req.query('recipient');
    const rows = (await rt.deliveries.list('parked')).filter((d) => !recipient || d.recipientId === recipient);
    return c.html(parkedPage(rows, new Map(rt.config.recipients.map((r) => [r.id, r.name])), recipient, rt.clock(), viewer(c).admin));
  });

  app.use('/queues', web.require('admin', 'login'));
  app.use('/queues/*', web.require('admin', 'login'));
  app.route('/queues', queueBoardRoutes(rt) as unknown as Hono<GatewayEnv>);
  return app;
}
