import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Bundle, Patient } from '../../src/fhir/types.js';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

/**
 * The recipients' FHIR servers: one local HTTP server answering every recipient's base URL
 * (`/<recipientId>/fhir`). A view is a transaction Bundle; the arrival time of the first
 * view naming each NHS number is kept per recipient, which is how a view is matched to
 * the message that caused it. Nothing else of the view is kept.
 */
export class ViewRecipient {
  private server: Server | undefined;
  private port = 0;
  /** `${recipientId}|${nhs}` → epoch ms of the first view carrying that NHS number. */
  readonly firstArrival = new Map<string, number>();
  views = 0;

  async start(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    this.port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  }

  baseUrl(recipientId: string): string {
    return `http://127.0.0.1:${this.port}/${recipientId}/fhir`;
  }

  /** When every one of `recipients` had a view naming `nhs`: the latest of their first arrivals. */
  deliveredAt(nhs: string, recipients: readonly string[]): number | undefined {
    let latest = 0;
    for (const r of recipients) {
      const at = this.firstArrival.get(`${r}|${nhs}`);
      if (at === undefined) return undefined;
      latest = Math.max(latest, at);
    }
    return latest;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const recipientId = req.url?.split('/')[1] ?? '';
    const bundle = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Bundle;
    this.views++;
    for (const e of bundle.entry ?? []) {
      if (e.resource?.resourceType !== 'Patient') continue;
      for (const id of (e.resource as Patient).identifier ?? []) {
        const key = `${recipientId}|${id.value}`;
        if (id.system === NHS && !this.firstArrival.has(key)) this.firstArrival.set(key, at);
      }
    }
    res.writeHead(200, { 'content-type': 'application/fhir+json' })
      .end(JSON.stringify({ resourceType: 'Bundle', type: 'transaction-response', entry: (bundle.entry ?? []).map(() => ({ response: { status: '200 OK' } })) }));
  }
}
