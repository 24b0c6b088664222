import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CradleError } from '../src/fhir/outcome.js';
import type { SourceAdapter } from '../src/ingest/source.js';
import { startHarness, type Harness } from './support/harness.js';

/** A batch source for testing the machinery: parts separated by a line of dashes; a part must be a number. */
const batchSource: SourceAdapter<number> = {
  name: 'test-batch',
  mediaTypes: ['text/plain'],
  maxBodyBytes: 64,
  split(body) {
    const text = body.toString('utf8');
    if (!text.startsWith('BATCH\n')) throw new CradleError('CRADLE_PARSE_ERROR', { expression: ['line 1'], diagnostics: 'no BATCH header' });
    return text.slice(6).split('\n---\n').map((p) => Buffer.from(p));
  },
  parse(body) {
    const n = Number(body.toString('utf8'));
    if (!Number.isInteger(n)) throw new CradleError('CRADLE_INPUT_INVALID', { expression: ['$'], diagnostics: 'not a number' });
    return n;
  },
  identity: (n) => ({ key: `test-batch|${n}`, version: null }),
  map: () => ({ resourceType: 'Bundle', type: 'transaction', entry: [] }),
};

describe('accepting batches', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('embedded', { extraSources: [batchSource] });
  });
  afterAll(() => h?.close());

  const post = (body: string) => h.request('/ingest/test-batch', { method: 'POST', body, headers: { 'content-type': 'text/plain' } });

  it('stores each part of a batch as its own message, rejecting only the bad ones', async () => {
    const res = await post('BATCH\n1\n---\nx\n---\n3');
    expect(res.status).toBe(202);
    const { messages } = (await res.json()) as { messages: Array<{ status: string; outcome?: unknown }> };
    expect(messages.map((m) => m.status)).toEqual(['received', 'rejected', 'received']);
    const again = (await (await post('BATCH\n1\n---\nx\n---\n3')).json()) as { messages: Array<{ duplicate?: boolean }> };
    expect(again.messages.every((m) => m.duplicate)).toBe(true);
  });

  it('keeps a body that cannot be split as one rejected message', async () => {
    const res = await post('garbage');
    expect(res.status).toBe(400);
    const id = res.headers.get('x-cradle-message-id')!;
    expect(((await (await h.request(`/ingest/messages/${id}`)).json()) as { status: string }).status).toBe('rejected');
  });

  it('applies the source\'s own body limit', async () => {
    expect((await post(`BATCH\n${'1'.repeat(100)}`)).status).toBe(413);
  });
});

describe.each(['scaled', 'embedded'] as const)('accepting at the same moment (%s)', (mode) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(mode, { workers: false });
  });
  afterAll(() => h?.close());

  it('stores concurrent messages together, the same bytes twice as one message, in the order given', async () => {
    const at = h.rt.clock();
    const input = (text: string, id: string) => ({ id, source: 'maternity', contentType: 'application/json', body: Buffer.from(text), clientId: 'c', receivedAt: at, status: 'received' as const });
    const ids = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b', '00000000-0000-4000-8000-00000000000c', '00000000-0000-4000-8000-00000000000d'];
    const results = await Promise.all([
      h.rt.messages.accept(input('{"n":1}', ids[0]!)),
      h.rt.messages.accept(input('{"n":2}', ids[1]!)),
      h.rt.messages.accept(input('{"n":1}', ids[2]!)),
      h.rt.messages.accept({ ...input('{"n":3}', ids[3]!), status: 'rejected', outcome: { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid' }] } }),
    ]);
    expect(results.map((r) => [r.message.id, r.duplicate, r.message.status])).toEqual([
      [ids[0], false, 'received'], [ids[1], false, 'received'], [ids[0], true, 'received'], [ids[3], false, 'rejected']]);
    expect((await h.rt.messages.get(ids[1]!))!.body.toString()).toBe('{"n":2}');
    expect((await h.rt.messages.get(ids[3]!))!.outcome?.issue[0]?.code).toBe('invalid');
    const again = await h.rt.messages.accept(input('{"n":2}', '00000000-0000-4000-8000-00000000000e'));
    expect([again.message.id, again.duplicate]).toEqual([ids[1], true]);
  });
});
