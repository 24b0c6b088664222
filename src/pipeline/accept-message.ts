import { randomUUID } from 'node:crypto';
import { CradleError, issuesOf, statusOf } from '../fhir/outcome.js';
import type { OperationOutcome } from '../fhir/types.js';
import type { SourceAdapter } from '../ingest/source.js';
import type { Logger } from '../observability/logger.js';
import type { Runtime } from '../runtime/runtime.js';
import type { MessageSummary } from '../store/message-store.js';

export interface Accepted {
  message: MessageSummary;
  duplicate: boolean;
  /** What this message alone answers: 202 new, 200 duplicate, the 4xx of its outcome when rejected. */
  status: number;
  /** The rejection, when the message was rejected (now or the first time it was sent). */
  outcome?: OperationOutcome;
}

export interface AcceptInput {
  adapter: SourceAdapter;
  body: Buffer;
  mediaType: string;
  clientId: string | null;
}

/**
 * Accepting is committing: each message (each part of a batch) is parsed against its
 * contract, stored with its raw bytes — as `received`, or `rejected` with the outcome —
 * and only then queued. Every transport (HTTP, MLLP) goes through here, so "acknowledged"
 * always means "durably stored". A part already stored comes back as a duplicate.
 */
export async function acceptMessages(rt: Runtime, input: AcceptInput, log: Logger): Promise<Accepted[]> {
  const { adapter, mediaType } = input;
  let parts: Array<{ body: Buffer; splitError?: CradleError }>;
  try {
    parts = adapter.split ? adapter.split(input.body, mediaType).map((body) => ({ body })) : [{ body: input.body }];
  } catch (err) {
    if (!(err instanceof CradleError) || err.status >= 500) throw err;
    parts = [{ body: input.body, splitError: err }];
  }
  const accepted: Accepted[] = [];
  for (const part of parts) accepted.push(await acceptOne(rt, adapter, part.body, mediaType, input.clientId, part.splitError));
  const fresh = accepted.filter((a) => !a.duplicate && a.message.status === 'received').map((a) => a.message);
  await enqueue(rt, fresh, log);
  for (const a of accepted) log.info({ messageId: a.message.id, source: adapter.name, status: a.message.status, duplicate: a.duplicate }, 'message accepted');
  for (const a of accepted) rt.metrics.ingested(adapter.name, a.duplicate ? 'duplicate' : a.message.status === 'rejected' ? 'rejected' : 'accepted');
  return accepted;
}

async function acceptOne(rt: Runtime, adapter: SourceAdapter, body: Buffer, mediaType: string, clientId: string | null,
  splitError?: CradleError): Promise<Accepted> {
  let error = splitError;
  if (!error) {
    try {
      adapter.parse(body, mediaType);
    } catch (err) {
      if (!(err instanceof CradleError) || err.status >= 500) throw err;
      error = err;
    }
  }
  const { message, duplicate } = await rt.messages.accept({
    id: randomUUID(), source: adapter.name, contentType: mediaType, body, clientId, receivedAt: rt.clock(),
    status: error ? 'rejected' : 'received', ...(error ? { outcome: error.toOutcome() } : {}),
  });
  if (message.status === 'rejected') {
    const outcome = message.outcome ?? error!.toOutcome();
    return { message, duplicate, outcome, status: duplicate || !error ? statusOf(issuesOf(outcome)) : error.status };
  }
  return { message, duplicate, status: duplicate ? 200 : 202 };
}

/** If the queue is down the messages are still accepted: the recovery sweep queues them later. */
async function enqueue(rt: Runtime, messages: MessageSummary[], log: Logger): Promise<void> {
  if (messages.length === 0) return;
  try {
    await withTimeout(rt.queue.add('map', messages.map((m) => ({ messageId: m.id, attempt: m.attempts }))), 2000);
  } catch (err) {
    log.warn({ err, messages: messages.length }, 'queue unavailable; messages will be picked up by the recovery sweep');
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`queue did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
