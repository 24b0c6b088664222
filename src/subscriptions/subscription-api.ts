import { randomUUID } from 'node:crypto';
import { SYSTEM } from '../fhir/canonical.js';
import { CradleError } from '../fhir/outcome.js';
import type { Subscription } from '../fhir/types.js';
import type { Runtime } from '../runtime/runtime.js';
import type { Sql } from '../store/db.js';
import type { AuditRecord } from '../store/audit.js';
import { wakeSubscribers } from './record-events.js';
import { maySubscribe } from './subscriber-scope.js';
import { readSubscription } from './subscription-request.js';
import { deleteSubscription, getSubscription, insertSubscription, replaceSubscription, type StoredSubscription } from './subscription-store.js';

/** Who is asking: the gateway's principal (client id and roles). */
export interface Caller {
  clientId: string;
  roles: ReadonlySet<string>;
  requestId: string;
}

export function isAdmin(caller: Caller): boolean {
  return caller.roles.has('admin');
}

/**
 * `POST /fhir/Subscription`: validates, stores with status `requested` (IG, Channels) and
 * queues the handshake. Only a client that may read (`read:<recipient>` or admin) may
 * subscribe; what it hears is scoped at each event to what it may read then.
 */
export async function createSubscription(rt: Runtime, caller: Caller, body: unknown, serverBase: string): Promise<StoredSubscription> {
  requireSubscriber(caller);
  const now = rt.clock();
  const read = readSubscription(body, now, rt.config.subscriptions.allowedEndpoints);
  if ('issues' in read) throw CradleError.of(read.issues);
  const id = randomUUID();
  const { sub, work } = await rt.db.transaction(async (tx) => {
    const stored = await insertSubscription(tx, { id, clientId: caller.clientId, resource: asStored(body as Subscription), spec: read.spec, serverBase, status: 'requested' }, now);
    await auditChange(rt, tx, caller, id, 'create', now);
    return { sub: stored, work: await rt.work.mark(tx, 'notify', [id], now) };
  });
  await wakeSubscribers(rt, work);
  rt.logger.info({ subscriptionId: id, clientId: caller.clientId, content: read.spec.content }, 'subscription created');
  return sub;
}

/**
 * `PUT /fhir/Subscription/{id}`: the owner replaces its subscription. `off` pauses it; any
 * other status asks for re-activation — a new handshake, then the events not yet sent (IG,
 * Errors: re-activation is the client's decision after recovering).
 */
export async function updateSubscription(rt: Runtime, caller: Caller, id: string, body: unknown): Promise<StoredSubscription> {
  requireSubscriber(caller);
  await ownSubscription(rt, caller, id);
  const now = rt.clock();
  const read = readSubscription(body, now, rt.config.subscriptions.allowedEndpoints);
  if ('issues' in read) throw CradleError.of(read.issues);
  const bodyId = (body as Subscription).id;
  if (bodyId !== undefined && bodyId !== id) throw new CradleError('CRADLE_INPUT_INVALID', { expression: ['Subscription.id'], diagnostics: 'id must match the URL' });
  const status = read.spec.wantsOff ? 'off' : 'requested';
  const { sub, work } = await rt.db.transaction(async (tx) => {
    const stored = await replaceSubscription(tx, id, { resource: asStored(body as Subscription), spec: read.spec, status }, now);
    await auditChange(rt, tx, caller, id, 'update', now);
    return { sub: stored, work: status === 'requested' ? await rt.work.mark(tx, 'notify', [id], now) : [] };
  });
  await wakeSubscribers(rt, work);
  return sub;
}

/** `DELETE /fhir/Subscription/{id}`: the subscription and its stored events go; the audit trail stays. */
export async function removeSubscription(rt: Runtime, caller: Caller, id: string): Promise<void> {
  await ownSubscription(rt, caller, id);
  const now = rt.clock();
  await rt.db.transaction(async (tx) => {
    await deleteSubscription(tx, id);
    const item = await rt.work.get('notify', id, tx);
    if (item) await rt.work.complete(tx, item);
    await auditChange(rt, tx, caller, id, 'delete', now);
  });
}

/** A subscription its caller may see: its own (admin: any). Anyone else's looks absent. */
export async function ownSubscription(rt: Runtime, caller: Caller, id: string): Promise<StoredSubscription> {
  const sub = await getSubscription(rt.db, id);
  if (!sub || (sub.clientId !== caller.clientId && !isAdmin(caller))) throw new CradleError('CRADLE_NOT_FOUND', { diagnostics: `no Subscription/${id}` });
  return sub;
}

function requireSubscriber(caller: Caller): void {
  if (!maySubscribe(caller.roles)) throw new CradleError('CRADLE_FORBIDDEN', { diagnostics: 'subscribing requires role read:<recipient> or admin' });
}

/** The resource as kept: server-owned elements (id, version, status, error) are Cradle's to set. */
function asStored(body: Subscription): Subscription {
  const { id: _id, status: _status, error: _error, meta, ...rest } = body;
  const { versionId: _v, lastUpdated: _l, ...metaRest } = meta ?? {};
  return { ...rest, ...(Object.keys(metaRest).length ? { meta: metaRest } : {}), status: 'requested' };
}

async function auditChange(rt: Runtime, tx: Sql, caller: Caller, id: string, interaction: 'create' | 'update' | 'delete', now: string): Promise<void> {
  const action = { create: 'C', update: 'U', delete: 'D' } as const satisfies Record<string, AuditRecord['action']>;
  await rt.audit.record(tx, {
    interaction,
    action: action[interaction],
    outcome: 'success',
    agent: { system: SYSTEM.client, value: caller.clientId, requestor: true },
    entities: [`Subscription/${id}`],
    detail: { 'request-id': caller.requestId },
  }, now);
}
