import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Runtime } from '../runtime/runtime.js';
import { createApp } from './app.js';
import type { GatewayEnv } from './context.js';

export interface Listening {
  port: number;
  close: () => Promise<void>;
}

/** Serves the gateway on `port`; resolves once listening, with a function that stops it. */
export async function serveGateway(rt: Runtime, port: number, version: string): Promise<Listening> {
  return listen(createApp(rt, version), port);
}

/** Serves a Hono app on all interfaces; `close` also drops kept-alive connections so it returns promptly. */
export async function listen(app: Hono<GatewayEnv>, port: number): Promise<Listening> {
  let server: ServerType | undefined;
  const actual = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port, hostname: '0.0.0.0' }, (info) => resolve(info.port));
  });
  return {
    port: actual,
    close: () => new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    }),
  };
}
