import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface StandInEhr {
  /** Base URL of one recipient's stand-in FHIR endpoint. */
  url(recipient: string): string;
  /** Views each recipient has been sent (accepted or not). */
  received: Map<string, number>;
  close(): Promise<void>;
}

/**
 * The health visiting and GP systems the demo delivers to, standing in on 127.0.0.1: each
 * answers a transaction Bundle with a transaction-response, except the recipients named in
 * `down`, which answer 503 (their system is "down"), so the demo shows retries, parked
 * deliveries and an incomplete coverage figure too.
 */
export async function startStandInEhr(down: readonly string[]): Promise<StandInEhr> {
  const received = new Map<string, number>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const recipient = (req.url ?? '/').split('/')[1] ?? '';
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.set(recipient, (received.get(recipient) ?? 0) + 1);
      if (req.method !== 'POST' || down.includes(recipient)) {
        res.writeHead(503, { 'content-type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', diagnostics: 'service unavailable (demo)' }] }));
        return;
      }
      let entries = 0;
      try {
        entries = ((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { entry?: unknown[] }).entry ?? []).length;
      } catch {
        res.writeHead(400).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/fhir+json' })
        .end(JSON.stringify({ resourceType: 'Bundle', type: 'transaction-response', entry: Array.from({ length: entries }, () => ({ response: { status: '200 OK' } })) }));
    });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return {
    url: (recipient) => `http://127.0.0.1:${port}/${recipient}/fhir`,
    received,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
