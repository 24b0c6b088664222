import { connect, type Socket } from 'node:net';
import { frameMllp, MllpDecoder } from '../../src/ingest/mllp/framing.js';

/**
 * A minimal MLLP sender for tests: writes frames (as fast as the socket takes them) and
 * collects the ACK frames it gets back, in order.
 */
export class MllpClient {
  readonly acks: string[] = [];
  private readonly decoder = new MllpDecoder(10 * 1024 * 1024);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const e of this.decoder.push(chunk)) if (e.type === 'message') this.acks.push(e.body.toString('utf8'));
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static open(port: number, host = '127.0.0.1'): Promise<MllpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host }, () => resolve(new MllpClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Writes every message without waiting for ACKs (pipelined), honouring the socket's backpressure. */
  async send(messages: readonly string[]): Promise<void> {
    for (const m of messages) {
      if (this.closed) return;
      if (!this.socket.write(frameMllp(m))) {
        await new Promise<void>((r) => {
          this.socket.once('drain', r);
          this.socket.once('close', r);
        });
      }
    }
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Resolves once `count` ACKs have arrived (or the connection closed, or the time ran out). */
  async waitForAcks(count: number, timeoutMs = 60_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.acks.length < count && !this.closed && Date.now() < deadline) {
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 250);
      });
    }
    return this.acks;
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}

/** MSA-1 and MSA-2 of one ACK. */
export function msa(ack: string): { code: string; controlId: string } {
  const line = ack.split('\r').find((s) => s.startsWith('MSA|')) ?? '';
  const f = line.split('|');
  return { code: f[1] ?? '', controlId: f[2] ?? '' };
}
