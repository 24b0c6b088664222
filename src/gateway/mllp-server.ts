import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { asCradleError, CradleError } from '../fhir/outcome.js';
import { frameMllp, MllpDecoder, type MllpEvent } from '../ingest/mllp/framing.js';
import type { SourceAdapter } from '../ingest/source.js';
import type { Logger } from '../observability/logger.js';
import type { Runtime } from '../runtime/runtime.js';
import { acceptAndAcknowledge, rejectionAck } from './hl7-acks.js';

export interface MllpOptions {
  port: number;
  host: string;
  /** The client id every message is attributed to (MLLP has no authentication of its own). */
  clientId: string;
  /** Remote addresses allowed to connect; empty allows any (rely on the network). */
  allow: readonly string[];
  /** The source MLLP messages go to. */
  source: string;
}

export interface MllpServer {
  port: number;
  close(): Promise<void>;
}

/** Frames waiting per connection before Cradle stops reading from it (TCP then pushes back on the sender). */
const HIGH_WATER = 16;

/**
 * The MLLP listener (HL7 v2.5 appendix C). Each connection is served in order: a frame
 * is committed through the shared acceptance (the same as HTTP) and only then its ACK
 * written — so an ACK always means "stored", and a sender that sees no ACK (Cradle
 * killed, store down) sends again and gets the same message back as a duplicate. One
 * ACK per message: a batch in one frame is answered with one ACK per MSH. When more
 * than {@link HIGH_WATER} frames wait, or the sender is not reading its ACKs, reading
 * pauses until the backlog clears.
 *
 * HL7 MLLP has no authentication: deploy it on a private network or behind a TLS
 * terminator, restrict it with `MLLP_ALLOW`, and every message is attributed to
 * `MLLP_CLIENT_ID` (README, "MLLP").
 */
export async function startMllpServer(rt: Runtime, options: MllpOptions): Promise<MllpServer> {
  const adapter = rt.sources.get(options.source);
  if (!adapter) throw new Error(`MLLP source ${options.source} is not registered`);
  const log = rt.logger.child({ transport: 'mllp', source: options.source });
  const sockets = new Set<Socket>();
  const inflight = new Set<Promise<void>>();
  const server = createServer((socket) => {
    const remote = normaliseAddress(socket.remoteAddress ?? '');
    if (options.allow.length > 0 && !options.allow.includes(remote)) {
      log.warn({ remote }, 'MLLP connection refused: address not in MLLP_ALLOW');
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const done = serveConnection(rt, adapter, socket, options, log.child({ remote }));
    inflight.add(done);
    void done.finally(() => inflight.delete(done));
  });
  const port = await listen(server, options.port, options.host);
  log.info({ port }, 'MLLP listening');
  return {
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      await Promise.allSettled([...inflight]);
    },
  };
}

/** The listener `cradle start` and `cradle gateway` run when MLLP_PORT is set (for the gp-hl7v2 source). */
export async function startConfiguredMllp(rt: Runtime): Promise<MllpServer | undefined> {
  const { port, host, clientId, allow } = rt.config.mllp;
  if (port === undefined) return undefined;
  return startMllpServer(rt, { port, host, clientId, allow, source: MLLP_SOURCE });
}

/** MLLP carries HL7 v2, which Cradle takes as the gp-hl7v2 source. */
export const MLLP_SOURCE = 'gp-hl7v2';

function serveConnection(rt: Runtime, adapter: SourceAdapter, socket: Socket, options: MllpOptions, log: Logger): Promise<void> {
  const decoder = new MllpDecoder(adapter.maxBodyBytes ?? rt.config.limits.maxBodyBytes);
  const waiting: MllpEvent[] = [];
  let working = false;
  let closed = false;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => { finish = resolve; });

  const pump = async () => {
    if (working) return;
    working = true;
    while (waiting.length > 0 && !closed) {
      const event = waiting.shift()!;
      if (waiting.length < HIGH_WATER / 2 && socket.isPaused()) socket.resume();
      const acks = await answer(rt, adapter, event, options.clientId, log);
      for (const ack of acks) {
        if (closed) break;
        if (!socket.write(frameMllp(ack))) await drained(socket);
      }
    }
    working = false;
    if (closed) finish();
  };

  socket.on('data', (chunk: Buffer) => {
    waiting.push(...decoder.push(chunk));
    if (waiting.length >= HIGH_WATER) socket.pause();
    void pump();
  });
  socket.on('error', (err) => log.warn({ err: { code: (err as NodeJS.ErrnoException).code } }, 'MLLP connection error'));
  socket.on('close', () => {
    closed = true;
    if (decoder.pendingBytes > 0) log.warn({ bytes: decoder.pendingBytes }, 'MLLP connection closed mid-frame; the sender will resend');
    if (!working) finish();
  });
  return finished;
}

/** The ACKs for one frame. A frame that could not be stored gets an AR: the sender must send it again. */
async function answer(rt: Runtime, adapter: SourceAdapter, event: MllpEvent, clientId: string, log: Logger): Promise<string[]> {
  const now = rt.clock();
  if (event.type === 'oversize') {
    const max = adapter.maxBodyBytes ?? rt.config.limits.maxBodyBytes;
    log.warn({ bytes: event.size, max }, 'MLLP frame over the size limit refused');
    return [rejectionAck(event.head, new CradleError('CRADLE_PAYLOAD_TOO_LARGE', { diagnostics: `messages are limited to ${max} bytes` }), now, randomUUID())];
  }
  try {
    const acked = await acceptAndAcknowledge(rt, adapter, event.body, clientId, log);
    return acked.map((a) => a.ack);
  } catch (err) {
    const error = asCradleError(err);
    log.error({ err }, 'MLLP message could not be stored; answered AR so the sender resends');
    return [rejectionAck(event.body, new CradleError('CRADLE_INTERNAL', { diagnostics: `not stored (${error.issues[0]!.code}); send the message again` }), now, randomUUID())];
  }
}

function drained(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) → `127.0.0.1`, so allow-lists can name IPv4 addresses. */
function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
