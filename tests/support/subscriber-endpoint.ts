import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, Parameters } from '../../src/fhir/types.js';

export interface Notification {
  path: string;
  headers: IncomingHttpHeaders;
  bundle: Bundle;
  /** The status Parameters (the Bundle's first entry). */
  status: Parameters;
  type: string;
  statusCode: string;
  eventsSinceStart: number;
  eventNumbers: number[];
  focus: string[];
}

export interface SubscriberEndpoint {
  /** `http://127.0.0.1:<port>`; each subscription in a test uses its own path under it. */
  url: string;
  /** Notifications accepted (answered 200), in order of arrival. */
  received: Notification[];
  /** Paths answering 503, as if the subscriber's system were down. */
  down: Set<string>;
  /** How many POSTs each path refused while down. */
  refused: Map<string, number>;
  at(path: string, type?: string): Notification[];
  close(): Promise<void>;
}

/**
 * A subscriber's rest-hook endpoint as a real HTTP server (node:http on a free loopback port):
 * the behaviour under test is HTTP — headers, status codes, a system that is down — so nothing
 * is faked in between.
 */
export async function startSubscriberEndpoint(): Promise<SubscriberEndpoint> {
  const endpoint: SubscriberEndpoint = {
    url: '', received: [], down: new Set(), refused: new Map(),
    at: (path, type) => endpoint.received.filter((n) => n.path === path && (type === undefined || n.type === type)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (endpoint.down.has(path)) {
        endpoint.refused.set(path, (endpoint.refused.get(path) ?? 0) + 1);
        res.writeHead(503).end();
        return;
      }
      endpoint.received.push(notification(path, req.headers, JSON.parse(Buffer.concat(chunks).toString('utf8')) as Bundle));
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return endpoint;
}

function notification(path: string, headers: IncomingHttpHeaders, bundle: Bundle): Notification {
  const status = bundle.entry?.[0]?.resource as Parameters;
  const value = (name: string) => status.parameter?.find((p) => p.name === name);
  const events = (status.parameter ?? []).filter((p) => p.name === 'notification-event');
  return {
    path, headers, bundle, status,
    type: value('type')?.valueCode ?? '',
    statusCode: value('status')?.valueCode ?? '',
    eventsSinceStart: Number(value('events-since-subscription-start')?.valueString),
    eventNumbers: events.map((e) => Number(e.part?.find((p) => p.name === 'event-number')?.valueString)),
    focus: events.flatMap((e) => e.part?.filter((p) => p.name === 'focus').map((p) => p.valueReference!.reference!) ?? []),
  };
}
