import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Bundle, Flag, Patient } from '../../../src/fhir/types.js';
import { sleep } from './wait.js';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

/** What a recipient's EHR holds after applying Cradle's pushes: one row per Flag identifier. */
export interface HeldFlag {
  nhsNumber: string | undefined;
  code: string | undefined;
  status: Flag['status'];
}

/**
 * A health visiting system's FHIR endpoint that can be taken down and slowed. It applies each
 * pushed transaction the way a FHIR server would — conditional PUTs keyed by identifier, so
 * the Patient by NHS number and the Flag by Cradle's Flag identifier — and keeps the result,
 * so the suite can count what a clinician would see: each family's alert once, or not at all.
 */
export class FaultyRecipient {
  baseUrl = '';
  /** Transactions that reached the store (including ones answered too late for Cradle). */
  applied = 0;
  /** Transactions identical to one already applied: harmless replays, counted for the report. */
  replays = 0;
  readonly flags = new Map<string, HeldFlag>();
  /** Delay before answering, per request; the push is applied before the delay. */
  delayMs: () => number = () => 0;
  private readonly seen = new Set<string>();
  private server: Server | undefined;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 1000;
    this.port = await new Promise<number>((resolve) => this.server!.listen(this.port, '127.0.0.1', () => resolve((this.server!.address() as { port: number }).port)));
    this.baseUrl = `http://127.0.0.1:${this.port}/fhir`;
  }

  /** Refuses connections for `ms` (the port is closed), then listens again on the same port. */
  async outage(ms: number): Promise<void> {
    await this.stop();
    await sleep(ms);
    await this.start();
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  resetCounters(): void {
    this.applied = 0;
    this.replays = 0;
  }

  /** Active Flags held, per baby's NHS number and rule code. */
  activeFlags(nhsNumber: string, code: string): number {
    let n = 0;
    for (const f of this.flags.values()) if (f.status === 'active' && f.nhsNumber === nhsNumber && f.code === code) n++;
    return n;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const bundle = JSON.parse(body) as Bundle;
    this.apply(bundle);
    if (this.seen.has(body)) this.replays++;
    this.seen.add(body);
    const delay = this.delayMs();
    if (delay > 0) await sleep(delay);
    if (res.destroyed) return;
    res.writeHead(200, { 'content-type': 'application/fhir+json' })
      .end(JSON.stringify({ resourceType: 'Bundle', type: 'transaction-response', entry: (bundle.entry ?? []).map(() => ({ response: { status: '200 OK' } })) }));
  }

  private apply(bundle: Bundle): void {
    this.applied++;
    const nhsByUrn = new Map<string, string | undefined>();
    for (const e of bundle.entry ?? []) {
      if (e.resource?.resourceType === 'Patient') nhsByUrn.set(e.fullUrl!, (e.resource as Patient).identifier?.find((i) => i.system === NHS)?.value);
    }
    for (const e of bundle.entry ?? []) {
      if (e.resource?.resourceType !== 'Flag') continue;
      const flag = e.resource as Flag;
      this.flags.set(flag.identifier![0]!.value!, {
        nhsNumber: nhsByUrn.get(flag.subject?.reference ?? ''),
        code: flag.code.coding?.[0]?.code,
        status: flag.status,
      });
    }
  }
}
