import { createServer, type Server } from 'node:http';
import type { Bundle, Flag } from '../../src/fhir/types.js';

/**
 * A recipient's FHIR server as a real HTTP server on localhost, for tests where the behaviour
 * is about HTTP (status codes, retries, headers). It keeps what it was sent and answers
 * scripted statuses, then 200 with a transaction-response.
 */
export interface FhirRecipient {
  baseUrl: string;
  received: Array<{ bundle: Bundle; authorization: string | undefined }>;
  /** Statuses for the next requests, in order; then 200. */
  script: number[];
  attempts: number;
  /** The latest copy of each Flag the recipient holds, by Cradle's Flag identifier. */
  flags(): Map<string, Flag>;
  close(): Promise<void>;
}

export async function startFhirRecipient(): Promise<FhirRecipient> {
  const recipient = { received: [], script: [], attempts: 0 } as unknown as FhirRecipient;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      recipient.attempts++;
      const status = recipient.script.shift() ?? 200;
      if (status !== 200) {
        res.writeHead(status, { 'content-type': 'application/fhir+json' }).end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] }));
        return;
      }
      const bundle = JSON.parse(body) as Bundle;
      recipient.received.push({ bundle, authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/fhir+json' })
        .end(JSON.stringify({ resourceType: 'Bundle', type: 'transaction-response', entry: (bundle.entry ?? []).map(() => ({ response: { status: '200 OK' } })) }));
    });
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  recipient.baseUrl = `http://127.0.0.1:${port}/fhir`;
  recipient.flags = () => {
    const out = new Map<string, Flag>();
    for (const { bundle } of recipient.received) {
      for (const e of bundle.entry ?? []) if (e.resource?.resourceType === 'Flag') out.set((e.resource as Flag).identifier![0]!.value!, e.resource as Flag);
    }
    return out;
  };
  recipient.close = () => new Promise((resolve) => server.close(() => resolve()));
  return recipient;
}
